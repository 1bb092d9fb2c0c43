/**
 * CRLs as relying parties use them (RFC 5280 section 5 and 6.3): parsing PEM or DER, the acceptance
 * checks (signature by a trusted CA, issuer, number never going back, nextUpdate), and an immutable
 * index of the accepted CRLs that answers "is this path revoked?" in constant time per certificate.
 */
package io.upki.pki.crl;
