package io.upki.ca.issue;

import io.upki.ca.store.CertificateRepository;
import io.upki.ca.store.DuplicateSerialException;
import io.upki.ca.store.Reservation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the reservations of concurrent issuances durable together: one writer thread commits every
 * reservation that arrived while the previous commit waited for the disk in one transaction, so N
 * concurrent signs cost one fsync instead of N queued one behind the other. A lone sign waits for
 * nothing more than its own commit. Each reservation's future completes only once its commit is durable.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** Enough for every lane of a CA; a larger queue waits for the next commit. */
    static final int MAX_BATCH = 64;

    private final CertificateRepository certificates;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private Thread writer;
    private volatile boolean closed;

    private record Pending(Reservation reservation, CompletableFuture<Void> durable) {
    }

    GroupCommit(CertificateRepository certificates) {
        this.certificates = certificates;
    }

    /** Queues a reservation; the future completes once it is durable, or with the store's refusal. */
    CompletableFuture<Void> submit(Reservation reservation) {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                durable.completeExceptionally(new IllegalStateException("the CA is shutting down"));
                return durable;
            }
            if (writer == null) {
                writer = new Thread(this::run, "ca-store");
                writer.setDaemon(true);
                writer.start();
            }
            queue.add(new Pending(reservation, durable));
        }
        return durable;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.durable().completeExceptionally(e));
                LOG.error("store writer failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Commits a batch in one transaction. A duplicate serial rolls back the whole transaction, so the
     * batch is then committed one by one: only the issuance whose serial is taken draws another.
     */
    void commit(List<Pending> batch) {
        List<Reservation> reservations = batch.stream().map(Pending::reservation).toList();
        try {
            certificates.reserveAll(reservations);
            batch.forEach(p -> p.durable().complete(null));
            return;
        } catch (DuplicateSerialException e) {
            if (batch.size() == 1) {
                batch.get(0).durable().completeExceptionally(e);
                return;
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.durable().completeExceptionally(e));
            return;
        }
        for (Pending p : batch) {
            try {
                certificates.reserve(p.reservation());
                p.durable().complete(null);
            } catch (RuntimeException e) {
                p.durable().completeExceptionally(e);
            }
        }
    }

    /** Test access: commits reservations as one batch on the caller's thread. */
    List<CompletableFuture<Void>> commitNow(List<Reservation> reservations) {
        List<Pending> batch = reservations.stream().map(r -> new Pending(r, new CompletableFuture<>())).toList();
        commit(batch);
        return batch.stream().map(Pending::durable).toList();
    }

    /** Commits what is queued, then stops the writer (waits up to 10 s). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = writer;
        }
        if (t == null) {
            return;
        }
        try {
            t.join(10_000);
            if (t.isAlive()) {
                LOG.warn("store writes did not finish within 10 s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
