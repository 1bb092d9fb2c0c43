package io.upki.ca.wire;

import io.upki.pki.process.DaemonThreads;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One bounded worker pool per {@link Lane}; a full queue refuses work instead of growing without bound. */
public final class Lanes implements AutoCloseable {
    private final Map<Lane, ThreadPoolExecutor> pools = new EnumMap<>(Lane.class);

    /**
     * @param threads workers per lane
     * @param queue waiting requests per lane before the CA answers "busy"
     */
    public Lanes(Map<Lane, Integer> threads, int queue) {
        for (Lane lane : Lane.values()) {
            int n = threads.getOrDefault(lane, 1);
            ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(queue), DaemonThreads.numbered("ca-" + lane.name().toLowerCase()));
            pools.put(lane, pool);
        }
    }

    /** Sizes for a machine with {@code cores} processors. */
    public static Lanes forCores(int cores) {
        // Signing is CPU-bound but each signature is followed by an fsync: one extra thread per core
        // keeps the cores busy while another thread waits on the disk.
        return new Lanes(Map.of(Lane.KEYGEN, Math.max(1, cores), Lane.SIGNING, Math.max(2, cores * 2),
                Lane.QUICK, 4), 1024);
    }

    /** @throws RejectedExecutionException when the lane's queue is full or the lanes are shut down */
    public void submit(Lane lane, Runnable task) {
        pools.get(lane).execute(task);
    }

    /** Stops taking work and waits for the work already accepted to finish. */
    public boolean drain(Duration timeout) throws InterruptedException {
        pools.values().forEach(ThreadPoolExecutor::shutdown);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean done = true;
        for (ThreadPoolExecutor pool : pools.values()) {
            done &= pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return done;
    }

    @Override
    public void close() {
        pools.values().forEach(ThreadPoolExecutor::shutdownNow);
    }
}
