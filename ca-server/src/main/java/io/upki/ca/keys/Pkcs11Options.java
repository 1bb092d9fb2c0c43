package io.upki.ca.keys;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The picocli options that put a CA key in a PKCS#11 token, shared by root and ca-server commands. */
public final class Pkcs11Options {
    @Option(names = "--pkcs11-module", defaultValue = "${env:UPKI_PKCS11_MODULE:-" + Pkcs11Settings.DEFAULT_MODULE + "}",
            description = "PKCS#11 library holding the CA key (env UPKI_PKCS11_MODULE; default ${DEFAULT-VALUE}); "
                    + "used only with --pkcs11-token.")
    Path module;

    @Option(names = "--pkcs11-token", defaultValue = "${env:UPKI_PKCS11_TOKEN}",
            description = "Label of the PKCS#11 token holding the CA key (env UPKI_PKCS11_TOKEN); without it the key is a file.")
    String token;

    @Option(names = "--pkcs11-key", defaultValue = "${env:UPKI_PKCS11_KEY}",
            description = "Label of the CA key inside the token (env UPKI_PKCS11_KEY).")
    String key;

    @Option(names = "--pkcs11-pin-file", defaultValue = "${env:UPKI_PKCS11_PIN_FILE}",
            description = "File holding the token's user PIN (env UPKI_PKCS11_PIN_FILE).")
    Path pinFile;

    /** The token settings, or null when the key is a file (no --pkcs11-token). */
    public Pkcs11Settings settings() {
        if (token == null || token.isBlank()) {
            if (key != null && !key.isBlank() || pinFile != null) {
                throw new IllegalArgumentException("--pkcs11-key and --pkcs11-pin-file need --pkcs11-token");
            }
            return null;
        }
        return new Pkcs11Settings(module, token, key, pinFile);
    }
}
