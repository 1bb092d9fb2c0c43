package io.upki.cli;

import io.upki.cli.context.CliContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Runs upki-cli in-process, as a shell would: a working directory, an environment, captured streams. */
final class CliRun {
    /** What one run printed and returned. */
    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout is not JSON: " + out, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private CliRun() {
    }

    static Result run(Path workDir, Map<String, String> env, boolean stderrTty, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(workDir, env, new PrintWriter(out, true), new PrintWriter(err, true),
                Clock.systemUTC(), stderrTty);
        int code = UpkiCli.run(context, args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result run(Path workDir, Map<String, String> env, String... args) {
        return run(workDir, env, false, args);
    }
}
