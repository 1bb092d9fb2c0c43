package io.upki.pki.assertion;

import io.upki.pki.trust.Role;

/**
 * The authenticated client as a relying party's trust pipeline established it (and a sidecar's assertion carries it).
 *
 * @param subject RFC 4514 subject of the leaf
 * @param serialHex serial number in lower-case hex
 * @param fingerprint SHA-256 of the leaf's DER, lower-case hex
 * @param role administrator or client (the {@code role} claim spells it {@link Role#wireName()})
 * @param crlNumber CRL number the revocation check used (the leaf issuer's)
 */
public record Identity(String subject, String serialHex, String fingerprint, Role role, String crlNumber) {
}
