package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Authorizations: stored with their identifier and wildcard flag; only the status changes. */
class AuthorizationStoreTest extends EngineSuite {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void anAuthorizationKeepsItsIdentifierAndChangesItsStatus() {
        try (AcmeStore store = open()) {
            Authorization wildcard = new Authorization("z", "acct", "o", new Identifier(Identifier.DNS, "example.internal"),
                    true, Authorization.Status.PENDING, NOW);
            store.authorizations().insert(wildcard);
            assertThat(store.authorizations().get("z").orElseThrow()).isEqualTo(wildcard);
            store.authorizations().update(wildcard.withStatus(Authorization.Status.VALID));
            assertThat(store.authorizations().get("z").orElseThrow().status()).isEqualTo(Authorization.Status.VALID);
            assertThat(store.authorizations().get("missing")).isEmpty();
        }
    }

    @Test
    void aTransitionHappensOnlyFromTheStatusNamed() {
        try (AcmeStore store = open()) {
            store.authorizations().insert(new Authorization("z", "acct", "o", new Identifier(Identifier.DNS, "a.internal"),
                    false, Authorization.Status.PENDING, NOW));
            assertThat(store.authorizations().transition("z", Authorization.Status.PENDING, Authorization.Status.DEACTIVATED))
                    .isTrue();
            assertThat(store.authorizations().transition("z", Authorization.Status.PENDING, Authorization.Status.VALID))
                    .isFalse();
            assertThat(store.authorizations().get("z").orElseThrow().status()).isEqualTo(Authorization.Status.DEACTIVATED);
        }
    }
}
