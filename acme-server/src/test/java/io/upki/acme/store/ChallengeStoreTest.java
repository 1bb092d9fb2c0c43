package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Challenges: listed in the order offered, started once, and their outcome stored. */
class ChallengeStoreTest extends EngineSuite {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void challengesComeInTheOrderOfferedAndStartOnce() {
        try (AcmeStore store = open()) {
            ChallengeStore challenges = store.challenges();
            for (String type : List.of(Challenge.TLS_ALPN_01, Challenge.HTTP_01, Challenge.DNS_01)) {
                challenges.insert(new Challenge("c-" + type, "z", type, "tok", Challenge.Status.PENDING, null, null));
            }
            assertThat(challenges.of("z")).extracting(Challenge::type)
                    .containsExactly(Challenge.TLS_ALPN_01, Challenge.HTTP_01, Challenge.DNS_01);
            assertThat(challenges.start("c-" + Challenge.HTTP_01)).isTrue();
            assertThat(challenges.start("c-" + Challenge.HTTP_01)).isFalse();
            assertThat(challenges.get("c-" + Challenge.HTTP_01).orElseThrow().status()).isEqualTo(Challenge.Status.PROCESSING);
        }
    }

    @Test
    void anOutcomeIsStoredWithItsTimeOrItsError() {
        try (AcmeStore store = open()) {
            Challenge c = new Challenge("c", "z", Challenge.HTTP_01, "tok", Challenge.Status.PROCESSING, null, null);
            store.challenges().insert(c);
            store.challenges().update(c.with(Challenge.Status.VALID, NOW, null));
            assertThat(store.challenges().get("c").orElseThrow().validated()).isEqualTo(NOW);
            store.challenges().update(c.with(Challenge.Status.INVALID, null, "{\"type\":\"x\"}"));
            Challenge invalid = store.challenges().get("c").orElseThrow();
            assertThat(invalid.validated()).isNull();
            assertThat(invalid.error()).isEqualTo("{\"type\":\"x\"}");
        }
    }
}
