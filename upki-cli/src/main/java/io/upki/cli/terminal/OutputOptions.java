package io.upki.cli.terminal;

import picocli.CommandLine.Option;

/** {@code --json}, shared by every command that prints a result. */
public final class OutputOptions {
    @Option(names = "--json", description = "print the result as one JSON document on stdout, for scripts")
    boolean json;

    public boolean json() {
        return json;
    }
}
