package io.upki.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to completion with a deadline, as an operator would type it, output captured. */
record Command(int exitCode, String stdout, String stderr) {

    static Command run(Path workDir, Map<String, String> env, Duration timeout, String... argv) throws IOException {
        return run(workDir, env, timeout, List.of(argv));
    }

    static Command run(Path workDir, Map<String, String> env, Duration timeout, List<String> argv) throws IOException {
        Path out = Files.createTempFile("e2e-out", ".txt");
        Path err = Files.createTempFile("e2e-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(argv)).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", argv) + " did not finish within " + timeout
                            + "; output so far:\n" + Files.readString(out) + Files.readString(err));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted", e);
            }
            return new Command(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
