package io.upki.pki.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A certificate profile as {@code get_profile} returns it, with uPKI's camelCase keys in uPKI's order;
 * {@code pathLen} appears only for CA profiles that set it.
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
        Integer pathLen) {
}
