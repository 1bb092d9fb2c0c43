package io.upki.pki.options;

import io.upki.pki.files.SecretOption;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The CA registration seed, as a value ({@code --seed}, env {@code UPKI_CA_SEED}) or a file such as a
 * systemd credential ({@code --seed-file}, env {@code UPKI_CA_SEED_FILE}), never both.
 */
public final class SeedOptions {
    @Option(names = "--seed", defaultValue = "${env:UPKI_CA_SEED}", description = "Registration seed (env UPKI_CA_SEED).")
    String seed;

    @Option(names = "--seed-file", defaultValue = "${env:UPKI_CA_SEED_FILE}",
            description = "File holding the registration seed, e.g. a systemd credential (env UPKI_CA_SEED_FILE); "
                    + "instead of --seed.")
    Path seedFile;

    /** Whether either was given. */
    public boolean given() {
        return seed != null || seedFile != null;
    }

    /**
     * The seed, or null when neither is given.
     *
     * @throws IllegalArgumentException both given, or the file unreadable or empty
     */
    public String seed() {
        return SecretOption.resolve(seed, seedFile, "--seed (UPKI_CA_SEED)", "--seed-file");
    }
}
