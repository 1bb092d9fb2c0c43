package io.upki.testkit;

import java.time.Duration;

/** Polling for tests that wait on another thread or process: until a condition holds, or fail after a bound. */
public final class Await {
    /** A condition that may throw (an HTTP call, a file read): a throw fails the wait at once. */
    @FunctionalInterface
    public interface Condition {
        boolean met() throws Exception;
    }

    private Await() {
    }

    /** Checks {@code condition} every {@code poll} until it holds; an {@link AssertionError} after {@code timeout}. */
    public static void until(Duration timeout, Duration poll, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** As {@link #until(Duration, Duration, Condition)}, checking every 50 ms. */
    public static void until(Duration timeout, Condition condition) throws Exception {
        until(timeout, Duration.ofMillis(50), condition);
    }
}
