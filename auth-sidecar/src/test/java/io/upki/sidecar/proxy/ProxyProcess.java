package io.upki.sidecar.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A proxy process in the foreground, its output in a log file; stopped with its children on close. */
final class ProxyProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    /** Thrown when the process exits before its port answers (for example the port was taken meanwhile). */
    static final class ExitedException extends IOException {
        ExitedException(String message) {
            super(message);
        }
    }

    private ProxyProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The proxy binary at {@code path} when installed there (Debian's package), else {@code name} on the PATH. */
    static String binary(String path, String name) {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of(path)) ? path : name;
    }

    /** Starts {@code command} in {@code workDir} and waits until {@code port} accepts connections. */    static ProxyProcess start(String name, List<String> command, Map<String, String> env, Path workDir, int port)
            throws IOException {
        Path log = workDir.resolve(name + "-output.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        ProxyProcess p = new ProxyProcess(name, pb.start(), log, port);
        try {
            p.awaitPort(port, Duration.ofSeconds(15));
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void awaitPort(int port, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new ExitedException(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IOException(name + " did not listen on " + port + " within " + timeout + ":\n" + log());
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** A port that was free a moment ago on loopback (the proxy start is retried if it is taken meanwhile). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts a proxy process listening on the port it is given. */
    interface Starter {
        ProxyProcess start(int port) throws IOException;
    }

    /** Starts a proxy on a fresh free port, retried when the port was taken between probe and bind. */
    static ProxyProcess startOnFreePort(Starter starter) throws IOException {
        ExitedException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return starter.start(freePort());
            } catch (ExitedException e) {
                last = e;
            }
        }
        throw last;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
