package io.upki.cli.clients;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --seed-file}: where the commands that enrol this operator's CURVE key read the registration seed. */
public final class SeedFileOption {
    @Option(names = "--seed-file", paramLabel = "FILE",
            description = "with --ca-public-key: file holding the registration seed, to enrol this operator's CURVE key "
                    + "as the CA's first operator (or set UPKI_CA_SEED)")
    String seedFile;

    /** The seed from {@code --seed-file}, else UPKI_CA_SEED; null when neither is given (never argv: it is a secret). */
    public String seed(CliContext context) {
        if (seedFile != null) {
            Path file = context.resolve(seedFile);
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw CliException.localFile("--seed-file " + file, e);
            }
        }
        String env = context.env().get("UPKI_CA_SEED");
        return env == null || env.isBlank() ? null : env.strip();
    }
}
