package io.upki.cli;

import java.util.Map;

/**
 * Option defaults from the environment ({@code UPKI_CA_HOST}, {@code UPKI_CA_PORT}, ...), read from the
 * injected environment rather than {@code System.getenv} so that tests can set them.
 */
final class EnvDefaults extends io.upki.pki.options.EnvDefaults {
    /** Option name to environment variable; docs/CLI.md lists the same table. */
    static final Map<String, String> VARIABLES = Map.ofEntries(
            Map.entry("--host", "UPKI_CA_HOST"),
            Map.entry("--port", "UPKI_CA_PORT"),
            Map.entry("--ca", "UPKI_CA"),
            Map.entry("--ra", "UPKI_RA_URL"),
            Map.entry("--cert", "UPKI_CLI_CERT"),
            Map.entry("--key", "UPKI_CLI_KEY"),
            Map.entry("--cacert", "UPKI_CLI_CACERT"),
            Map.entry("--timeout", "UPKI_CLI_TIMEOUT"),
            Map.entry("--ca-public-key", "UPKI_CA_PUBLIC_KEY"),
            Map.entry("--client-key", "UPKI_CLI_CLIENT_KEY"),
            Map.entry("--publisher", "UPKI_PUBLISHERS"));

    EnvDefaults(Map<String, String> env) {
        super(VARIABLES, env::get);
    }
}
