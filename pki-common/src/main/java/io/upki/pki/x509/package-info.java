/**
 * X.509 facts shared by every process: PEM reading and writing, distinguished names in uPKI's
 * slash form and RFC 4514, revocation reasons (RFC 5280 section 5.3.1) and certificate fingerprints.
 */
package io.upki.pki.x509;
