package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Accounts: found by id, key thumbprint and EAB key id; key, status and contacts updated; one account per key. */
class AccountStoreTest extends EngineSuite {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void anAccountIsFoundByIdThumbprintAndBindingAndUpdated() {
        try (AcmeStore store = open()) {
            AccountStore accounts = store.accounts();
            accounts.insert(new Account("a1", "thumb-1", "{\"kty\":\"EC\"}", Account.Status.VALID, List.of("mailto:a@b.example"),
                    NOW, "team-a"));
            assertThat(accounts.get("a1").orElseThrow().created()).isEqualTo(NOW);
            assertThat(accounts.byThumbprint("thumb-1").orElseThrow().id()).isEqualTo("a1");
            assertThat(accounts.byEabKid("team-a").orElseThrow().id()).isEqualTo("a1");
            assertThat(accounts.byEabKid("team-b")).isEmpty();

            Account changed = accounts.get("a1").orElseThrow().withKey("thumb-2", "{\"kty\":\"OKP\"}")
                    .withContact(List.of()).withStatus(Account.Status.DEACTIVATED);
            accounts.update(changed);
            assertThat(accounts.byThumbprint("thumb-1")).isEmpty();
            assertThat(accounts.get("a1").orElseThrow()).isEqualTo(changed);
        }
    }

    @Test
    void twoAccountsCannotShareAKeyOrABinding() {
        try (AcmeStore store = open()) {
            store.accounts().insert(new Account("a1", "thumb", "{}", Account.Status.VALID, List.of(), NOW, "team-a"));
            assertThatThrownBy(() -> store.accounts().insert(
                    new Account("a2", "thumb", "{}", Account.Status.VALID, List.of(), NOW, null)))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.accounts().insert(
                    new Account("a3", "other", "{}", Account.Status.VALID, List.of(), NOW, "team-a")))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(store.accounts().get("a2")).isEmpty();
        }
    }
}
