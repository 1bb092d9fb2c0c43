package io.upki.pki.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/** {@link DaemonThreads}: named daemon threads, and a bounded wait for one at close. */
class DaemonThreadsTest {
    @Test
    void threadsAreDaemonsNamedAsAsked() {
        Thread named = DaemonThreads.named("ca-store").newThread(() -> { });
        assertThat(named.isDaemon()).isTrue();
        assertThat(named.getName()).isEqualTo("ca-store");
        ThreadFactory numbered = DaemonThreads.numbered("ca-signing");
        assertThat(numbered.newThread(() -> { }).getName()).isEqualTo("ca-signing-1");
        assertThat(numbered.newThread(() -> { }).getName()).isEqualTo("ca-signing-2");
    }

    @Test
    void joinWaitsForTheThreadButNoLongerThanItsTimeout() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = DaemonThreads.start("stuck", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        DaemonThreads.join(stuck, Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(stuck.isAlive()).isTrue();
        release.countDown();
        DaemonThreads.join(stuck, Duration.ofSeconds(10));
        assertThat(stuck.isAlive()).isFalse();
        DaemonThreads.join(null, Duration.ofSeconds(10)); // nothing started: nothing to wait for
    }

    @Test
    void drainSaysWhetherQueuedWorkEndedAndKeepsAnInterrupt() throws InterruptedException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor(
                DaemonThreads.named("writer"));
        java.util.concurrent.atomic.AtomicBoolean stored = new java.util.concurrent.atomic.AtomicBoolean();
        pool.execute(() -> stored.set(true));
        pool.shutdown();
        assertThat(DaemonThreads.drain(pool, Duration.ofSeconds(10))).isTrue();
        assertThat(stored).isTrue();

        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.ExecutorService busy = java.util.concurrent.Executors.newSingleThreadExecutor(
                DaemonThreads.named("busy"));
        busy.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        busy.shutdown();
        assertThat(DaemonThreads.drain(busy, Duration.ofMillis(50))).as("still running").isFalse();
        Thread.currentThread().interrupt();
        assertThat(DaemonThreads.drain(busy, Duration.ofSeconds(10))).as("interrupted").isFalse();
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        release.countDown();
        assertThat(DaemonThreads.drain(busy, Duration.ofSeconds(10))).isTrue();
    }
}
