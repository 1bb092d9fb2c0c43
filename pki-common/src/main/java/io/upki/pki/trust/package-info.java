/**
 * Certificate path building and validation (RFC 5280 section 6) from a client certificate to a
 * configured trust anchor, with the leaf checks a client-authentication decision needs.
 */
package io.upki.pki.trust;
