package io.upki.pki.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** DATA of {@code register} on the registration port: how an RA receives its key and certificate. */
public record RaRegistration(
        String status,
        String cn,
        String profile,
        String certificate,
        @JsonProperty("private_key") String privateKey,
        @JsonProperty("ca_certificate") String caCertificate) {
}
