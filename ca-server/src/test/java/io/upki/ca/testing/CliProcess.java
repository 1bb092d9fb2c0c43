package io.upki.ca.testing;

import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a ca-server main class ({@code CaServerMain}, {@code RootMain}) as a real process with the test
 * class path and the launcher's PKCS#11 export, as bin/upki does; for commands and their exit codes.
 */
public final class CliProcess {
    /** The offline root's main class. */
    public static final String ROOT_MAIN = "io.upki.ca.root.RootMain";
    /** The CA server's main class. */
    public static final String CA_MAIN = "io.upki.ca.CaServerMain";
    private CliProcess() {
    }

    /** Exit code and everything the process printed (stdout and stderr together). */
    public record Result(int exit, String output) {
        /** The last line printed, where a refusal's one-line reason is. */
        public String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    public static List<String> command(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--add-exports", "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return command;
    }

    /** Runs to completion (at most two minutes). */
    public static Result run(Map<String, String> env, String mainClass, String... args) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command(mainClass, List.of(args))).redirectErrorStream(true);
        b.environment().keySet().removeIf(k -> k.startsWith("UPKI_"));
        b.environment().putAll(env);
        Process p = b.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mainClass + " " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code ca-server start} on {@code port} and waits until it answers {@code get_ca}.
     *
     * @throws AssertionError with the log when it exits or does not answer within {@code timeout}
     */
    public static Process startCa(Map<String, String> env, Path log, Duration timeout, String... args) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command("io.upki.ca.CaServerMain", List.of(args)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.environment().keySet().removeIf(k -> k.startsWith("UPKI_"));
        b.environment().putAll(env);
        Process p = b.start();
        String endpoint = null;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--port")) {
                endpoint = "tcp://127.0.0.1:" + args[i + 1];
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (ZmqCaClient probe = new ZmqCaClient(endpoint, t -> Duration.ofMillis(500), 0, new WireCodec())) {
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new AssertionError("ca-server exited with " + p.exitValue() + ":\n" + Files.readString(log));
                }
                try {
                    probe.call(CaTask.GET_CA, null);
                    return p;
                } catch (CaClientException e) {
                    if (e.kind() != CaClientException.Kind.UNAVAILABLE) {
                        throw e;
                    }
                }
            }
        }
        p.destroyForcibly();
        throw new AssertionError("ca-server did not answer within " + timeout + ":\n" + Files.readString(log));
    }

    /** Stops each of {@code processes} (SIGTERM, SIGKILL when one has not exited within 30 s). */
    public static void stopAll(List<Process> processes) throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Runs {@code mainClass} with {@code args} and asserts it exits 0 (its output as the description). */
    public static Result ok(Map<String, String> env, String mainClass, String... args)
            throws IOException, InterruptedException {
        Result r = run(env, mainClass, args);
        org.assertj.core.api.Assertions.assertThat(r.exit()).as(r.output()).isZero();
        return r;
    }

    /**
     * {@code openssl verify} of {@code leaf} with {@code rootCrt} as the anchor and {@code untrusted} as a
     * helper, as OpenSSL builds the path; asserts it exits 0 and returns what it printed.
     */
    public static String opensslVerify(Path rootCrt, Path untrusted, Path leaf) throws IOException, InterruptedException {
        Process verify = new ProcessBuilder("openssl", "verify", "-CAfile", rootCrt.toString(),
                "-untrusted", untrusted.toString(), leaf.toString()).redirectErrorStream(true).start();
        String out = new String(verify.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThat(verify.waitFor()).as(out).isZero();
        return out;
    }
}
