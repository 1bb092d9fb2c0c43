/**
 * The ACME server (RFC 8555) as a library: {@link io.upki.acme.AcmeServer} wires the store, JWS checks,
 * challenge validation, the CA client and the routes, and mounts them under {@code /acme/} on its host's
 * Javalin server (ra-core's).
 */
package io.upki.acme;
