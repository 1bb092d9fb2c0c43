package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.testkit.clock.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The nonces a store hands out, on each engine: accepted once, never expired, never made up; on
 * PostgreSQL in the shared database, so a second store on the same database (another replica) accepts
 * the first one's nonces, still only once, even when both try the same nonce at the same moment.
 */
class NoncesTest extends EngineSuite {
    private final MutableClock clock = new MutableClock();
    private final SecureRandom random = new SecureRandom();

    @Test
    void aNonceIsAcceptedOnceNeverAfterItsExpiryAndNeverWhenMadeUp() {
        try (AcmeStore store = open()) {
            Nonces nonces = store.nonces(clock, Duration.ofSeconds(60), random);
            assertThat(nonces).isInstanceOf(engine == StoreEngine.POSTGRESQL ? SharedNonces.class : NonceStore.class);
            String n1 = nonces.issue();
            String n2 = nonces.issue();
            assertThat(n1).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(n2);
            assertThat(nonces.consume(n1)).isTrue();
            assertThat(nonces.consume(n1)).isFalse();
            clock.advance(Duration.ofSeconds(61));
            assertThat(nonces.consume(n2)).isFalse();
            assertThat(nonces.consume("never-issued")).isFalse();
            assertThat(nonces.consume(null)).isFalse();
            assertThat(nonces.consume("x".repeat(65))).isFalse();
        }
    }

    @Test
    void purgeDropsExpiredNoncesOnly() {
        try (AcmeStore store = open()) {
            Nonces nonces = store.nonces(clock, Duration.ofSeconds(60), random);
            nonces.issue();
            nonces.issue();
            clock.advance(Duration.ofSeconds(30));
            String young = nonces.issue();
            clock.advance(Duration.ofSeconds(31));
            assertThat(nonces.purge()).isEqualTo(2);
            assertThat(nonces.purge()).isZero();
            assertThat(nonces.consume(young)).isTrue();
        }
    }

    @Test
    void anotherReplicaAcceptsANonceExactlyOnce() {
        Assumptions.assumeTrue(engine == StoreEngine.POSTGRESQL, "SQLite nonces stay in one process by design");
        try (AcmeStore a = open(); AcmeStore b = open()) {
            Nonces onA = a.nonces(clock, Duration.ofSeconds(60), random);
            Nonces onB = b.nonces(clock, Duration.ofSeconds(60), random);
            String fromA = onA.issue();
            assertThat(onB.consume(fromA)).isTrue();
            assertThat(onA.consume(fromA)).isFalse();
            assertThat(onB.consume(fromA)).isFalse();
        }
    }

    @Test
    void whenTwoReplicasRaceForOneNonceOneWins() throws Exception {
        Assumptions.assumeTrue(engine == StoreEngine.POSTGRESQL, "SQLite nonces stay in one process by design");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (AcmeStore a = open(); AcmeStore b = open()) {
            Nonces onA = a.nonces(clock, Duration.ofSeconds(60), random);
            Nonces onB = b.nonces(clock, Duration.ofSeconds(60), random);
            for (int round = 0; round < 50; round++) {
                String nonce = (round % 2 == 0 ? onA : onB).issue();
                List<Callable<Boolean>> tries = List.of(() -> onA.consume(nonce), () -> onB.consume(nonce),
                        () -> onA.consume(nonce), () -> onB.consume(nonce));
                List<Boolean> outcomes = new ArrayList<>();
                for (Future<Boolean> f : pool.invokeAll(tries)) {
                    outcomes.add(f.get());
                }
                assertThat(outcomes).as("round " + round).containsOnlyOnce(true);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
