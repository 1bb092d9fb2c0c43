package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.testkit.clock.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** NonceStore (in memory): bounded in number, the oldest going first; single use and expiry are in NoncesTest. */
class NonceStoreTest {
    private final MutableClock clock = new MutableClock();

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
