package io.upki.bench;

import java.util.concurrent.CountDownLatch;

/** Keeps a bench stand-in (a PostgreSQL server, a publisher) running until the process gets SIGTERM, then stops it. */
final class UntilTerminated {
    private final CountDownLatch stopped = new CountDownLatch(1);

    private UntilTerminated() {
    }

    /** Registers {@code stop} to run on SIGTERM (from now on, so a failed start-up still cleans up). */
    static UntilTerminated onTerm(String name, Runnable stop) {
        UntilTerminated until = new UntilTerminated();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            until.stopped.countDown();
        }, name));
        return until;
    }

    /** Blocks until the stand-in has been stopped. */
    void await() throws InterruptedException {
        stopped.await();
    }
}
