package io.upki.pki.relying;

import io.upki.pki.trust.VerifiedPath;

/**
 * The first step's result: a path verified to a trust anchor for client authentication, with the facts
 * of its leaf that never change (so it can be remembered); validity, revocation and role are still to be
 * decided, each time, by {@link TrustPipeline#admit}.
 *
 * @param subject RFC 4514 subject of the leaf
 * @param subjectKey the subject as an RFC 5280 canonical key, as the admin list holds DNs
 * @param serialHex serial number in lower-case hex
 * @param fingerprint SHA-256 of the leaf's DER, lower-case hex
 * @param adminMarker the leaf carries the CA's admin role marker
 */
public record TrustedClient(VerifiedPath path, String subject, String subjectKey, String serialHex, String fingerprint,
                            boolean adminMarker) {
}
