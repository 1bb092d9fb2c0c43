package io.upki.pki.process;

import io.upki.pki.crypto.NativeCrypto;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/** Runs a process's picocli command and keeps a started service alive until SIGTERM. */
public final class ProcessRunner {
    private ProcessRunner() {
    }

    /**
     * Executes {@code command} and exits with its code. An operator error (bad flag, unusable file,
     * unreachable CA) is printed as one line {@code <name>: <reason>} without a stack trace; an
     * IllegalArgumentException (invalid configuration) exits 2, anything else 1. The native crypto
     * provider is installed first, before any key is touched.
     */
    public static void main(String name, Object command, String[] args) {
        NativeCrypto.install(System.getenv(NativeCrypto.SWITCH));
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(name + ": " + describe(e));
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }

    static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes {@code service} cleanly. */
    public static void serveUntilStopped(AutoCloseable service, String name) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println(name + ": error while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, name + "-shutdown"));
        stopped.await();
    }

    /** Splits {@code host:port} (IPv6 in brackets), naming the option on error. */
    public static HostPort hostPort(String option, String value) {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not host:port");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new HostPort(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' has no valid port");
        }
    }

    /** A listening address. */
    public record HostPort(String host, int port) {
    }
}
