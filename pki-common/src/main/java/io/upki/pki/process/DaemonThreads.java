package io.upki.pki.process;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for background work, whose threads are named for thread dumps and never keep a process alive. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Daemon threads all named {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... in the order they are made. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> daemon(r, prefix + "-" + count.incrementAndGet());
    }

    /** Starts {@code task} on a daemon thread named {@code name}. */
    public static Thread start(String name, Runnable task) {
        Thread t = daemon(task, name);
        t.start();
        return t;
    }

    /**
     * Waits up to {@code timeout} for {@code thread} (null: nothing to wait for) to end, keeping an
     * interrupt for the caller; for a close() that has just told the thread to stop.
     */
    public static void join(Thread thread, Duration timeout) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits up to {@code timeout} for {@code pool}, already shut down, to finish what it was given, keeping an
     * interrupt for the caller; for a close() that must not return before queued writes are stored.
     *
     * @return true when every task ended in time
     */
    public static boolean drain(ExecutorService pool, Duration timeout) {
        try {
            return pool.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
