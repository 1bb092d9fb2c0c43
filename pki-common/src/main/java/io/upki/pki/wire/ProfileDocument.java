package io.upki.pki.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A certificate profile as {@code get_profile} returns it, with uPKI's camelCase keys in uPKI's order;
 * {@code pathLen} appears only for CA profiles that set it. {@code role} (upki's addition: {@code admin}
 * or {@code sidecar}) is read from profile files and never sent, so uPKI's documents stay exact.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileDocument(
        String keyType,
        int keyLen,
        int duration,
        String digest,
        boolean altnames,
        String domain,
        Map<String, String> subject,
        List<String> keyUsage,
        List<String> extendedKeyUsage,
        String certType,
        Integer pathLen,
        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String role) {

    /** A document without a role. */
    public ProfileDocument(String keyType, int keyLen, int duration, String digest, boolean altnames, String domain,
                           Map<String, String> subject, List<String> keyUsage, List<String> extendedKeyUsage,
                           String certType, Integer pathLen) {
        this(keyType, keyLen, duration, digest, altnames, domain, subject, keyUsage, extendedKeyUsage, certType,
                pathLen, null);
    }
}
