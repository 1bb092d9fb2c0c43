package io.upki.cli.issue;

import io.upki.cli.context.CliContext;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out DIR} and {@code --force}: where a command writes NAME.key, NAME.crt and ca.crt, and whether it may replace them. */
public final class OutputFolderOptions {
    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "folder for the files (default: current)")
    String out;

    @Option(names = "--force", description = "replace an existing key, certificate or ca.crt")
    boolean force;

    /** The folder, resolved in the working directory. */
    public Path folder(CliContext context) {
        return context.resolve(out);
    }

    /** Whether existing files may be replaced. */
    public boolean force() {
        return force;
    }
}
