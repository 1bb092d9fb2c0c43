package io.upki.publisher.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.testkit.clock.MutableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The holders' table the console reads: names refused when not plain, the first time each CRL was taken kept. */
class CrlHoldersTest {
    @Test
    void namesThatAreNotPlainAndShortAreIgnored() {
        assertThat(CrlHolders.name("auth-sidecar@edge-1 pid 42")).isEqualTo("auth-sidecar@edge-1 pid 42");
        assertThat(CrlHolders.name(null)).isNull();
        assertThat(CrlHolders.name("<script>")).isNull();
        assertThat(CrlHolders.name("a\"b")).isNull();
        assertThat(CrlHolders.name("x".repeat(121))).isNull();
    }

    @Test
    void theFirstTimeEachNumberWasTakenIsKeptAndTheHighestIsHeld() {
        MutableClock clock = MutableClock.at(Instant.parse("2026-12-07T10:00:00Z"));
        CrlHolders holders = new CrlHolders(clock);
        holders.subscribed("edge-1", "10.0.0.1", true);
        holders.took("edge-1", "10.0.0.1", BigInteger.valueOf(7));
        clock.advance(Duration.ofSeconds(5));
        holders.took("edge-1", "10.0.0.1", BigInteger.valueOf(7)); // a 304 later: not a new taking
        holders.took("edge-1", "10.0.0.1", BigInteger.valueOf(8));
        holders.took(null, "10.0.0.9", BigInteger.valueOf(8)); // an unnamed fetcher is not listed
        List<Map<String, Object>> view = holders.snapshot();
        assertThat(view).hasSize(1);
        assertThat(view.get(0)).containsEntry("crl_number", "8").containsEntry("subscribed", true)
                .containsEntry("taken_at", "2026-12-07T10:00:05Z");
        assertThat(view.get(0).get("taken").toString()).contains("crl_number=7", "2026-12-07T10:00:00Z");
        holders.subscribed("edge-1", "10.0.0.1", false);
        assertThat(holders.snapshot().get(0)).containsEntry("subscribed", false);
    }

    @Test
    void holdersAndTheirHistoryAreBounded() {
        MutableClock clock = MutableClock.at(Instant.parse("2026-12-07T10:00:00Z"));
        CrlHolders holders = new CrlHolders(clock);
        for (int i = 0; i < CrlHolders.MAX_HOLDERS + 10; i++) {
            clock.advance(Duration.ofMillis(1));
            holders.took("edge-" + i, "10.0.0.1", BigInteger.ONE);
        }
        assertThat(holders.snapshot()).hasSize(CrlHolders.MAX_HOLDERS);
        for (int n = 0; n < CrlHolders.MAX_TAKEN + 10; n++) {
            holders.took("edge-300", "10.0.0.1", BigInteger.valueOf(n));
        }
        Map<String, Object> last = holders.snapshot().stream().filter(h -> h.get("holder").equals("edge-300")).findFirst()
                .orElseThrow();
        assertThat((List<?>) last.get("taken")).hasSize(CrlHolders.MAX_TAKEN);
    }
}
