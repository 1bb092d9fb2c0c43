package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** NonceStore: each accepted once, never after its expiry, never when not issued here, and bounded in number. */
class NonceStoreTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void aNonceIsAcceptedOnceAndNeverAfterItsExpiry() {
        NonceStore nonces = new NonceStore(clock, Duration.ofSeconds(60), new SecureRandom());
        String n1 = nonces.issue();
        String n2 = nonces.issue();
        assertThat(n1).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(n2);
        assertThat(nonces.consume(n1)).isTrue();
        assertThat(nonces.consume(n1)).isFalse();
        clock.advance(Duration.ofSeconds(61));
        assertThat(nonces.consume(n2)).isFalse();
        assertThat(nonces.consume("never-issued")).isFalse();
        assertThat(nonces.consume(null)).isFalse();
        assertThat(nonces.consume("")).isFalse();
    }

    @Test
    void purgeDropsExpiredNoncesOnly() {
        NonceStore nonces = new NonceStore(clock, Duration.ofSeconds(60), new SecureRandom());
        nonces.issue();
        clock.advance(Duration.ofSeconds(30));
        String young = nonces.issue();
        clock.advance(Duration.ofSeconds(31));
        assertThat(nonces.purge()).isEqualTo(1);
        assertThat(nonces.consume(young)).isTrue();
    }

    @Test
    void theOldestNonceGoesWhenTheBoundIsReached() {
        NonceStore nonces = new NonceStore(clock, Duration.ofSeconds(60), new SecureRandom(), 2);
        String first = nonces.issue();
        String second = nonces.issue();
        String third = nonces.issue();
        assertThat(nonces.consume(first)).isFalse();
        assertThat(nonces.consume(second)).isTrue();
        assertThat(nonces.consume(third)).isTrue();
    }
}
