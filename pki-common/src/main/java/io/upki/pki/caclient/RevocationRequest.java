package io.upki.pki.caclient;

import java.util.Objects;

/**
 * The params of {@code revoke}: the certificate and a reason, an RFC 5280 section 5.3.1 name or code as
 * the CA accepts it (CA-PROTOCOL.md section 3; the CA validates it and a refused reason changes nothing).
 */
public record RevocationRequest(CertificateId target, String reason) {
    public RevocationRequest {
        Objects.requireNonNull(target, "target");
        reason = reason == null ? "unspecified" : reason;
    }
}
