package io.upki.cli.context;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a command may touch outside itself, passed in by the composition root so that tests run every
 * command in-process with their own working directory, environment, streams and clock.
 *
 * @param workDir where relative paths resolve and where files are written by default
 * @param env the environment ({@code UPKI_*} defaults)
 * @param stderrTty whether stderr is a terminal, so progress bars are drawn
 */
public record CliContext(Path workDir, Map<String, String> env, PrintWriter out, PrintWriter err, Clock clock,
                         boolean stderrTty) {

    public CliContext {
        workDir = workDir.toAbsolutePath().normalize();
        env = Map.copyOf(env);
    }

    /** A path given on the command line, resolved against the working directory. */
    public Path resolve(String path) {
        return workDir.resolve(path).normalize();
    }
}
