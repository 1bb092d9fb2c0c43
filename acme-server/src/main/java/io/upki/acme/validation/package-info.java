/**
 * Challenge validation (RFC 8555 section 8): http-01, dns-01 and tls-alpn-01 (RFC 8737), for DNS
 * and IP identifiers (RFC 8738), reaching the identifier through a configurable resolver and ports.
 */
package io.upki.acme.validation;
