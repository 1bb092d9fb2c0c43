/**
 * Request authentication of RFC 8555 section 6: flattened JWS parsing and verification with the
 * account or embedded key and the algorithm allow-list (the nonces are in the store package).
 */
package io.upki.acme.jws;
