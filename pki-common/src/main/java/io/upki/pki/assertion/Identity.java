package io.upki.pki.assertion;

/**
 * The authenticated client as the sidecar established it.
 *
 * @param subject RFC 4514 subject of the leaf
 * @param serialHex serial number in lower-case hex
 * @param fingerprint SHA-256 of the leaf's DER, lower-case hex
 * @param role {@code admin} or {@code client}
 * @param crlNumber CRL number the revocation check used (the leaf issuer's)
 */
public record Identity(String subject, String serialHex, String fingerprint, String role, String crlNumber) {
}
