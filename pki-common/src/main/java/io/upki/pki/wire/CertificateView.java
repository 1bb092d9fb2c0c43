package io.upki.pki.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * DATA of {@code view}, with uPKI's keys: subject and issuer as maps keyed by attribute name
 * ({@code commonName}, ...), dates in ISO 8601 with an offset, SHA-256 fingerprint in lower-case hex.
 * {@code dn} (slash form), {@code profile}, {@code revoke_date}, and {@code serial} (the same integer as
 * {@code serial_number}) with {@code status} ({@code valid}, {@code revoked} or {@code expired}) are additions:
 * upki-ra's {@code /api/client/status} reads those last two. {@code certificate} (PEM) is one too: the
 * ra-core looks up a sidecar's assertion-signer certificate by serial through it.
 */
public record CertificateView(
        Map<String, String> subject,
        Map<String, String> issuer,
        String dn,
        @JsonProperty("serial_number") BigInteger serialNumber,
        String fingerprint,
        @JsonProperty("not_valid_before") String notValidBefore,
        @JsonProperty("not_valid_after") String notValidAfter,
        List<SubjectAltName> sans,
        @JsonProperty("key_usage") Map<String, Boolean> keyUsage,
        @JsonProperty("extended_key_usage") List<String> extendedKeyUsage,
        @JsonProperty("basic_constraints") BasicConstraints basicConstraints,
        @JsonProperty("is_ca") boolean isCa,
        @JsonProperty("is_valid") boolean isValid,
        @JsonProperty("is_revoked") boolean isRevoked,
        @JsonProperty("revoke_reason") String revokeReason,
        @JsonProperty("revoke_date") String revokeDate,
        String profile,
        BigInteger serial,
        String status,
        String certificate) {

    /** uPKI's {@code {"ca": bool, "path_length": int|null}}. */
    public record BasicConstraints(boolean ca, @JsonProperty("path_length") Integer pathLength) {
    }
}
