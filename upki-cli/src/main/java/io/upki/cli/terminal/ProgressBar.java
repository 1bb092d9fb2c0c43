package io.upki.cli.terminal;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for bulk commands, redrawn in place with a carriage return and at
 * most ten times a second (a terminal that scrolls thousands of updates slows the work it reports).
 * Drawn only when stderr is a terminal: in a pipe or a log file, it would be noise.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;
    private static final Duration REDRAW = Duration.ofMillis(100);

    private final PrintWriter err;
    private final Clock clock;
    private final boolean enabled;
    private final String label;
    private final int total;
    private final Instant started;
    private Instant lastDraw = Instant.MIN;
    private int done;
    private int failed;

    public ProgressBar(PrintWriter err, Clock clock, boolean enabled, String label, int total) {
        this.err = err;
        this.clock = clock;
        this.enabled = enabled && total > 0;
        this.label = label;
        this.total = total;
        this.started = clock.instant();
    }

    /** One item finished, successfully or not. */
    public void step(boolean ok) {
        done++;
        if (!ok) {
            failed++;
        }
        Instant now = clock.instant();
        if (done == total || Duration.between(lastDraw, now).compareTo(REDRAW) >= 0) {
            lastDraw = now;
            draw(now);
        }
    }

    /** Prints a message above the bar (the bar is redrawn on the next step). */
    public void message(String line) {
        if (enabled) {
            err.print("\r\033[K");
        }
        err.println(line);
        err.flush();
    }

    private void draw(Instant now) {
        if (!enabled) {
            return;
        }
        int filled = (int) ((long) WIDTH * done / total);
        double seconds = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        err.print(String.format(Locale.ROOT, "\r%s [%s] %d/%d %3d%% %.1f/s%s", label, bar, done, total,
                100L * done / total, done / seconds, failed > 0 ? " (" + failed + " failed)" : ""));
        err.flush();
    }

    @Override
    public void close() {
        if (enabled && done > 0) {
            err.println();
            err.flush();
        }
    }
}
