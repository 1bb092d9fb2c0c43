package io.upki.pki.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;

/** DATA of {@code ocsp_check}: good, revoked, expired or unknown, with the revocation facts when revoked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateStatus(
        String status,
        BigInteger serial,
        String cn,
        @JsonProperty("revoke_reason") String revokeReason,
        @JsonProperty("revoke_date") String revokeDate) {
}
