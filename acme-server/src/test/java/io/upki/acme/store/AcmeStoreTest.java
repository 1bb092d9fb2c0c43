package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store as a whole, on each engine: atomic order creation and transitions, durability across reopen. */
class AcmeStoreTest extends EngineSuite {

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void ordersAuthorizationsAndChallengesSurviveAReopen() {
        Identifier id = new Identifier(Identifier.DNS, "a.example.internal");
        try (AcmeStore store = open()) {
            store.accounts().insert(new Account("acct", "thumb", "{}", Account.Status.VALID, List.of("mailto:a@b.example"), NOW, null));
            insertOrder(store, new Order("o", "acct", Order.Status.PENDING, NOW.plusSeconds(3600), List.of(id), List.of("z"),
                    null, null, null), List.of(new Authorization("z", "acct", "o", id, false, Authorization.Status.PENDING,
                    NOW.plusSeconds(3600))), List.of(new Challenge("c", "z", Challenge.HTTP_01, "tok", Challenge.Status.PENDING,
                    null, null)));
            assertThat(store.challenges().start("c")).isTrue();
            assertThat(store.challenges().start("c")).isFalse();
            assertThat(store.orders().transition("o", Order.Status.READY, Order.Status.PROCESSING)).isFalse();
            store.certificates().insert(new IssuedCertificate("cert", "o", "acct", BigInteger.TEN, "PEM", NOW, NOW.plusSeconds(60), null));
        }
        try (AcmeStore store = open()) {
            assertThat(store.accounts().byThumbprint("thumb").orElseThrow().contact()).containsExactly("mailto:a@b.example");
            assertThat(store.orders().get("o").orElseThrow().identifiers()).containsExactly(id);
            assertThat(store.challenges().get("c").orElseThrow().status()).isEqualTo(Challenge.Status.PROCESSING);
            assertThat(store.certificates().bySerial(BigInteger.TEN).orElseThrow().id()).isEqualTo("cert");
            assertThat(store.orders().idsOf("acct")).containsExactly("o");
        }
    }

    @Test
    void aFailedTransactionChangesNothing() {
        try (AcmeStore store = open()) {
            assertThatThrownBy(() -> store.transaction(() -> {
                store.accounts().insert(new Account("inside", "thumb", "{}", Account.Status.VALID, List.of(), NOW, null));
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(store.accounts().get("inside")).isEmpty();
        }
    }

    /** An order with its authorizations and challenges in one transaction, as a new order is stored. */
    static void insertOrder(AcmeStore store, Order order, List<Authorization> authorizations, List<Challenge> challenges) {
        store.transaction(() -> {
            store.orders().insert(order);
            authorizations.forEach(store.authorizations()::insert);
            challenges.forEach(store.challenges()::insert);
        });
    }
}
