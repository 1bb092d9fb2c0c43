package io.upki.cli;

import io.upki.cli.context.CliContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The composition root of {@code upki-cli}: reads the process's working directory, environment, streams
 * and clock, and runs the command line with them.
 */
public final class CliMain {
    private CliMain() {
    }

    public static void main(String[] args) {
        // The shared CA client logs its retries and timeouts; here the command reports them itself, in
        // one line. UPKI_CLI_LOG=debug (or info, warn) shows the log lines for troubleshooting.
        // Set before the first logger exists: pki-common's logback.xml reads it (logs go to stderr).
        System.setProperty("upki.log.level", System.getenv().getOrDefault("UPKI_CLI_LOG", "off"));
        CliContext context = new CliContext(Path.of("").toAbsolutePath(), System.getenv(),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), Clock.systemUTC(), stderrIsTerminal());
        int code = UpkiCli.run(context, args);
        context.out().flush();
        context.err().flush();
        System.exit(code);
    }

    /**
     * Whether stderr is a terminal, for progress bars. Java only tells about stdin/stdout together, so
     * the launcher passes {@code UPKI_CLI_STDERR_TTY} from {@code [ -t 2 ]}; without it, Linux's
     * /proc/self/fd/2 link shows a tty device.
     */
    static boolean stderrIsTerminal() {
        String hint = System.getenv("UPKI_CLI_STDERR_TTY");
        if (hint != null) {
            return hint.equals("1") || hint.equalsIgnoreCase("true");
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
