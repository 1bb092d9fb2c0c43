package io.upki.ca.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CA as a real operating-system process ({@code ca-server start}), so that it can be killed with
 * SIGKILL: no shutdown hook, no finally block, no flush runs.
 */
final class CaProcess {
    private final Path dataDir;
    private final int port;
    private final Path log;
    private Process process;

    private CaProcess(Path dataDir, int port, Path log) {
        this.dataDir = dataDir;
        this.port = port;
        this.log = log;
    }

    /** A CA for {@code dataDir} on a free pair of loopback ports (operations, operations + 1). */
    static CaProcess on(Path dataDir, Path log) {
        return new CaProcess(dataDir, freePortPair(), log);
    }

    /** A new process for the data directory and ports of {@code other} (a restart after a kill). */
    static CaProcess onPortOf(CaProcess other, Path log) {
        return new CaProcess(other.dataDir, other.port, log);
    }

    Path dataDir() {
        return dataDir;
    }

    String registrationEndpoint() {
        return "tcp://127.0.0.1:" + (port + 1);
    }

    String endpoint() {
        return "tcp://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Launches {@code ca-server start} and waits until it answers {@code get_ca}; returns the CA PEM. */
    String start(Duration readyTimeout) {
        return start(readyTimeout, java.util.Map.of(), List.of());
    }

    /** Like {@link #start(Duration)}, with extra {@code UPKI_*} environment variables and {@code start} options. */
    String start(Duration readyTimeout, java.util.Map<String, String> env, List<String> options) {
        launch(env, options);
        return awaitReady(readyTimeout);
    }

    /** Launches {@code ca-server start} without waiting (a CURVE CA, which a plain probe cannot ask). */
    void launchOnly(java.util.Map<String, String> env, List<String> options) {
        launch(env, options);
    }

    /** Launches {@code ca-server start} on a shared store and waits until it answers STANDBY. */
    void startStandby(Duration readyTimeout, java.util.Map<String, String> env, List<String> options) {
        launch(env, options);
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        try (ZmqCaClient probe = new ZmqCaClient(endpoint(), t -> Duration.ofMillis(500), 0, new WireCodec())) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("CA process exited with " + process.exitValue() + ":\n" + logTail());
                }
                try {
                    probe.call(CaTask.GET_CA, null);
                    throw new AssertionError("CA answered get_ca although another CA is active:\n" + logTail());
                } catch (CaClientException e) {
                    if (e.code() == io.upki.pki.wire.CaErrorCode.STANDBY) {
                        return;
                    }
                    if (e.kind() != CaClientException.Kind.UNAVAILABLE) {
                        throw e;
                    }
                }
            }
        }
        throw new AssertionError("CA process did not answer STANDBY within " + readyTimeout + ":\n" + logTail());
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits for the CA to exit on its own; its exit value, or -1 while it still runs. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGTERM: the CA shuts down in order. */
    void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("CA process stopped after SIGTERM").isTrue();
    }

    private void launch(java.util.Map<String, String> env, List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1"); // quicker start on a busy machine; the burst is short
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.upki.ca.CaServerMain");
        command.addAll(List.of("start", "--data-dir", dataDir.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port)));
        command.addAll(options);
        if (!options.contains("--store")) {
            command.addAll(io.upki.ca.testing.TestStores.processOptions(dataDir)); // the suite's store
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("UPKI_") || k.equals("PGPASSWORD"));
        if (!options.contains("--store")) {
            builder.environment().putAll(io.upki.ca.testing.TestStores.processEnv(dataDir));
        }
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (ZmqCaClient probe = new ZmqCaClient(endpoint(), t -> Duration.ofMillis(500), 0, new WireCodec())) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("CA process exited with " + process.exitValue() + " before it was ready:\n"
                            + logTail());
                }
                try {
                    return probe.call(CaTask.GET_CA, null).asText();
                } catch (CaClientException e) {
                    if (e.kind() != CaClientException.Kind.UNAVAILABLE) {
                        throw e;
                    }
                }
            }
        }
        throw new AssertionError("CA process did not answer get_ca within " + timeout + ":\n" + logTail());
    }

    /** SIGKILL (Process.destroyForcibly on Linux); returns the exit value, which must show the signal. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("CA process died after SIGKILL").isTrue();
        assertThat(process.isAlive()).isFalse();
        return process.exitValue();
    }

    /** Kills a process left running by a failed test. */
    void destroyIfRunning() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePortPair() {
        // The CA binds port, port + 1 (registration) and port + 2 (events).
        return io.upki.ca.testing.TestCa.freePortBlock();
    }
}
