package io.upki.pki.caclient;

import java.util.Objects;

/**
 * The params of {@code sign}: a PEM CSR, the profile (the CA's default {@code server} when null) and the
 * CN to use when the CSR's subject is empty ({@code cn}, upki's addition; null to send none).
 */
public record SignRequest(String csrPem, String profile, String cn) {
    public SignRequest {
        Objects.requireNonNull(csrPem, "csrPem");
    }

    public SignRequest(String csrPem, String profile) {
        this(csrPem, profile, null);
    }
}
