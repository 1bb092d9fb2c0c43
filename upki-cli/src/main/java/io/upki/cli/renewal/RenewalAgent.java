package io.upki.cli.renewal;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Keeps pairs current: each is renewed when {@link RenewalSchedule} says so, the new pair is installed, and
 * the pair's command runs (e.g. a reload). A failed renewal is retried with exponential backoff and never
 * ends the agent: the RA may be down for a while, and the certificate is still valid for a third of its life.
 */
public final class RenewalAgent {
    /** Waits; tests replace it to drive the injected clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** A pair and the command (argv, no shell) to run after each of its renewals, or an empty list. */
    public record Watch(WatchedPair pair, List<String> exec) {
        public Watch {
            exec = List.copyOf(exec);
        }
    }

    /** Backoff bounds and the longest sleep between looks at the files (they may be replaced by hand). */
    public record Timing(Duration retryMin, Duration retryMax, Duration recheck) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofHours(1));
    }

    private final List<Watch> watches;
    private final SelfRenewal renewal;
    private final Clock clock;
    private final Random random;
    private final Sleeper sleeper;
    private final Timing timing;
    private final PrintWriter log;
    /** The due time drawn for each serial, so a pair's jitter does not change at every look. */
    private final Map<BigInteger, Instant> dueBySerial = new HashMap<>();

    public RenewalAgent(List<Watch> watches, SelfRenewal renewal, Clock clock, Random random, Sleeper sleeper,
                        Timing timing, PrintWriter log) {
        this.watches = List.copyOf(watches);
        this.renewal = renewal;
        this.clock = clock;
        this.random = random;
        this.sleeper = sleeper;
        this.timing = timing;
        this.log = log;
    }

    /** One look at every pair: renews those that are due (all with {@code force}); true when none failed. */
    public boolean runOnce(boolean force) {
        boolean ok = true;
        for (Watch w : watches) {
            Attempt a = attempt(w, force);
            ok &= a.failure == null;
        }
        return ok;
    }

    /** Runs until interrupted. */
    public void run() throws InterruptedException {
        int n = watches.size();
        Instant[] next = new Instant[n];
        int[] failures = new int[n];
        Instant start = clock.instant();
        for (int i = 0; i < n; i++) {
            next[i] = start;
        }
        while (!Thread.currentThread().isInterrupted()) {
            Instant now = clock.instant();
            for (int i = 0; i < n; i++) {
                if (next[i].isAfter(now)) {
                    continue;
                }
                Attempt a = attempt(watches.get(i), false);
                if (a.failure == null) {
                    failures[i] = 0;
                    next[i] = a.nextLook;
                } else {
                    failures[i]++;
                    Duration backoff = backoff(failures[i]);
                    log("retrying " + watches.get(i).pair() + " in " + backoff.toSeconds() + " s (failure " + failures[i] + ")");
                    next[i] = clock.instant().plus(backoff);
                }
            }
            Instant earliest = next[0];
            for (Instant t : next) {
                earliest = t.isBefore(earliest) ? t : earliest;
            }
            Duration wait = Duration.between(clock.instant(), earliest);
            if (wait.compareTo(timing.recheck()) > 0) {
                wait = timing.recheck();
            }
            if (!wait.isNegative() && !wait.isZero()) {
                sleeper.sleep(wait);
            }
        }
        throw new InterruptedException();
    }

    /** retryMin, doubled per consecutive failure, at most retryMax. */
    Duration backoff(int failures) {
        Duration d = timing.retryMin();
        for (int i = 1; i < failures && d.compareTo(timing.retryMax()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(timing.retryMax()) > 0 ? timing.retryMax() : d;
    }

    private record Attempt(Instant nextLook, String failure) {
    }

    private Attempt attempt(Watch w, boolean force) {
        X509Certificate current;
        try {
            current = w.pair().load().certificate();
        } catch (IOException | IllegalArgumentException e) {
            return failed("cannot read " + w.pair() + ": " + e.getMessage());
        }
        Instant due = dueBySerial.computeIfAbsent(current.getSerialNumber(), s -> RenewalSchedule.due(current, random));
        Instant now = clock.instant();
        if (!force && due.isAfter(now)) {
            return new Attempt(due, null);
        }
        X509Certificate renewed;
        try {
            renewed = renewal.renew(w.pair());
        } catch (SelfRenewal.Failure e) {
            return failed("renewing " + w.pair() + " failed: " + e.getMessage());
        }
        dueBySerial.remove(current.getSerialNumber());
        Instant nextDue = dueBySerial.computeIfAbsent(renewed.getSerialNumber(), s -> RenewalSchedule.due(renewed, random));
        log("renewed " + w.pair() + ": serial 0x" + renewed.getSerialNumber().toString(16) + ", valid until "
                + renewed.getNotAfter().toInstant() + ", next renewal at " + nextDue);
        runExec(w);
        return new Attempt(nextDue, null);
    }

    private Attempt failed(String message) {
        log(message);
        return new Attempt(null, message);
    }

    /** Runs the pair's command with the agent's environment, no shell; its failure is logged, not fatal. */
    private void runExec(Watch w) {
        if (w.exec().isEmpty()) {
            return;
        }
        try {
            Process p = new ProcessBuilder(new ArrayList<>(w.exec())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                log("--exec " + String.join(" ", w.exec()) + " did not finish within 5 minutes; killed");
            } else if (p.exitValue() != 0) {
                log("--exec " + String.join(" ", w.exec()) + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            log("--exec " + String.join(" ", w.exec()) + " could not start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void log(String line) {
        synchronized (log) {
            log.println(clock.instant() + " upki-cli agent: " + line);
            log.flush();
        }
    }
}
