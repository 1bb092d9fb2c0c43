package io.upki.ca.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads the settings of a data directory's {@code config.yml}, uPKI's keys: {@code host}, {@code port},
 * {@code crl_validity}, {@code crl_url}, and upki's {@code ocsp_url}. Unknown keys are an error, so a typo
 * cannot be silently ignored.
 */
public record ConfigFile(String host, Integer port, String crlValidity, String crlUrl, String ocspUrl) {
    private static final Set<String> KEYS = Set.of("host", "port", "crl_validity", "crl_url", "ocsp_url", "key_type");

    /** Settings without an OCSP responder URL. */
    public ConfigFile(String host, Integer port, String crlValidity, String crlUrl) {
        this(host, port, crlValidity, crlUrl, null);
    }

    public static ConfigFile read(Path file) {
        if (!Files.exists(file)) {
            return new ConfigFile(null, null, null, null);
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root == null || root.isNull() || root.isMissingNode()) {
                return new ConfigFile(null, null, null, null);
            }
            if (!root.isObject()) {
                throw new IllegalArgumentException(file + ": must be a mapping of settings");
            }
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!KEYS.contains(key)) {
                    throw new IllegalArgumentException(file + ": unknown setting '" + key + "', known: " + KEYS);
                }
            }
            JsonNode port = root.get("port");
            if (port != null && !port.isNull() && !port.canConvertToInt()) {
                throw new IllegalArgumentException(file + ": port must be a number");
            }
            return new ConfigFile(text(root, "host"), port == null || port.isNull() ? null : port.asInt(),
                    text(root, "crl_validity"), text(root, "crl_url"), text(root, "ocsp_url"));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode root, String key) {
        JsonNode v = root.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The file written by {@code init}, documenting every setting. */
    public static String template(String keyType, String crlValidity, String crlUrl) {
        return """
                # upki CA settings. Environment variables (UPKI_CA_HOST, UPKI_CA_PORT) and flags override these.
                host: 127.0.0.1
                port: 5000          # operations; registration listens on port + 1
                key_type: %s        # informational: the CA key's type, fixed at init
                crl_validity: %s    # CRL lifetime: days, or an ISO-8601 duration such as PT12H
                crl_url: "%s"       # CRL Distribution Point written into issued certificates ("" for none)
                ocsp_url: ""        # OCSP responder (crl-publisher --ocsp, e.g. http://host:8081/ocsp) written into AIA
                """.formatted(keyType, crlValidity, crlUrl == null ? "" : crlUrl);
    }
}
