/**
 * Reading the client certificate a proxy forwards to a forward-auth service, one class per proxy
 * (FORWARD-AUTH.md section 1): Traefik's {@code X-Forwarded-Tls-Client-Cert}, nginx's escaped PEM and
 * Caddy's DER base64. Each reads only its own header and decodes strictly.
 */
package io.upki.pki.clientcert;
