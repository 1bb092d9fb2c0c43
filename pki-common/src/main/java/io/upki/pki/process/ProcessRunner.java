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
        String logError = logSettingsError(System.getenv());
        if (logError != null) {
            // Checked before the first log line: logback.xml would otherwise drop every line silently.
            System.err.println(name + ": " + logError);
            System.exit(2);
        }
        NativeCrypto.install(System.getenv(NativeCrypto.SWITCH));
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(name + ": " + describe(e));
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }

    /** Why UPKI_LOG_FORMAT or UPKI_LOG_LEVEL (read by pki-common's logback.xml) is unusable, or null. */
    static String logSettingsError(java.util.Map<String, String> env) {
        String format = env.get("UPKI_LOG_FORMAT");
        if (format != null && !format.equals("text") && !format.equals("json")) {
            return "UPKI_LOG_FORMAT must be text or json, not '" + format + "'";
        }
        String level = env.get("UPKI_LOG_LEVEL");
        if (level != null && !java.util.Set.of("trace", "debug", "info", "warn", "error", "off")
                .contains(level.toLowerCase(java.util.Locale.ROOT))) {
            return "UPKI_LOG_LEVEL must be one of trace, debug, info, warn, error, off, not '" + level + "'";
        }
        return null;
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
