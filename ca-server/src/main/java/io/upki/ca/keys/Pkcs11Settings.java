package io.upki.ca.keys;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which PKCS#11 token and key hold the CA key.
 *
 * @param module the PKCS#11 library (e.g. SoftHSM2's {@code libsofthsm2.so})
 * @param token the token's label
 * @param key the key's label inside the token
 * @param pinFile the file holding the user PIN (never the command line: it would show in ps)
 */
public record Pkcs11Settings(Path module, String token, String key, Path pinFile) {
    /** SoftHSM2 as Debian installs it. */
    public static final String DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

    public Pkcs11Settings {
        Objects.requireNonNull(module);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("--pkcs11-token: the token label is required with PKCS#11");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("--pkcs11-key: the key label is required with PKCS#11");
        }
        if (pinFile == null) {
            throw new IllegalArgumentException("--pkcs11-pin-file: the token PIN file is required with PKCS#11");
        }
        if (token.contains("\n") || key.contains("\n")) {
            throw new IllegalArgumentException("--pkcs11-token/--pkcs11-key: a label is one line");
        }
    }
}
