package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authorizations: stored with their identifier and wildcard flag; only the status changes. */
class AuthorizationStoreTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    @TempDir
    Path dir;

    @Test
    void anAuthorizationKeepsItsIdentifierAndChangesItsStatus() {
        try (AcmeStore store = AcmeStore.sqlite(dir.resolve("acme.db"))) {
            Authorization wildcard = new Authorization("z", "acct", "o", new Identifier(Identifier.DNS, "example.internal"),
                    true, Authorization.Status.PENDING, NOW);
            store.authorizations().insert(wildcard);
            assertThat(store.authorizations().get("z").orElseThrow()).isEqualTo(wildcard);
            store.authorizations().update(wildcard.withStatus(Authorization.Status.VALID));
            assertThat(store.authorizations().get("z").orElseThrow().status()).isEqualTo(Authorization.Status.VALID);
            assertThat(store.authorizations().get("missing")).isEmpty();
        }
    }
}
