package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.acme.db.StoreLocation;
import io.upki.testkit.clock.MutableClock;
import io.upki.testkit.postgres.TestPostgres;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PostgreSQL server going away under a running store: every operation fails with a short reason
 * (which the ACME routes answer as serverInternal) instead of hanging, and nonces are refused, never
 * accepted on a guess.
 */
class PostgresOutageTest {
    @Test
    @Timeout(120) // a watchdog, not a measure: an operation that hung instead of failing would end the test here
    void whenTheServerStopsOperationsFailWithAReasonAndNoNonceIsAccepted() {
        TestPostgres own = TestPostgres.start();
        TestPostgres.Database db = own.createDatabase("acme_outage");
        String password = db.password();
        try (AcmeStore store = AcmeStore.open(StoreLocation.parse(db.storeUrl(), null, password.toCharArray()))) {
            Nonces nonces = store.nonces(new MutableClock(), Duration.ofMinutes(5), new SecureRandom());
            String issued = nonces.issue();
            store.accounts().insert(new Account("a", "t", "{}", Account.Status.VALID, List.of(), java.time.Instant.EPOCH, null));
            own.close();
            assertThatThrownBy(() -> store.accounts().get("a")).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("ACME store: ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
            assertThatThrownBy(() -> nonces.consume(issued)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(nonces::issue).isInstanceOf(IllegalStateException.class);
        } finally {
            own.close();
        }
    }
}
