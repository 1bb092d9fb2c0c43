/**
 * Request authentication of RFC 8555 section 6: flattened JWS parsing and verification with the
 * account or embedded key, algorithm allow-list, and single-use nonces.
 */
package io.upki.ra.acme.jws;
