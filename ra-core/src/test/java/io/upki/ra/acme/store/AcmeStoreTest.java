package io.upki.ra.acme.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store: atomic order creation and transitions, durability across reopen. */
class AcmeStoreTest {
    @TempDir
    Path dir;

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void ordersAuthorizationsAndChallengesSurviveAReopen() {
        Identifier id = new Identifier(Identifier.DNS, "a.example.internal");
        try (SqliteAcmeStore store = SqliteAcmeStore.open(dir.resolve("acme.db"))) {
            store.insertAccount(new Account("acct", "thumb", "{}", Account.Status.VALID, List.of("mailto:a@b.example"), NOW, null));
            store.insertOrder(new Order("o", "acct", Order.Status.PENDING, NOW.plusSeconds(3600), List.of(id), List.of("z"),
                    null, null, null), List.of(new Authorization("z", "acct", "o", id, false, Authorization.Status.PENDING,
                    NOW.plusSeconds(3600))), List.of(new Challenge("c", "z", Challenge.HTTP_01, "tok", Challenge.Status.PENDING,
                    null, null)));
            assertThat(store.startChallenge("c")).isTrue();
            assertThat(store.startChallenge("c")).isFalse();
            assertThat(store.transitionOrder("o", Order.Status.READY, Order.Status.PROCESSING)).isFalse();
            store.insertCertificate(new IssuedCertificate("cert", "o", "acct", BigInteger.TEN, "PEM", NOW, NOW.plusSeconds(60), null));
        }
        try (SqliteAcmeStore store = SqliteAcmeStore.open(dir.resolve("acme.db"))) {
            assertThat(store.accountByThumbprint("thumb").orElseThrow().contact()).containsExactly("mailto:a@b.example");
            assertThat(store.order("o").orElseThrow().identifiers()).containsExactly(id);
            assertThat(store.challenge("c").orElseThrow().status()).isEqualTo(Challenge.Status.PROCESSING);
            assertThat(store.certificateBySerial(BigInteger.TEN).orElseThrow().id()).isEqualTo("cert");
            assertThat(store.orderIds("acct")).containsExactly("o");
        }
    }

    @Test
    void aFailedTransactionChangesNothing() {
        try (SqliteAcmeStore store = SqliteAcmeStore.open(dir.resolve("acme.db"))) {
            assertThatThrownBy(() -> store.transaction(() -> {
                store.insertAccount(new Account("inside", "thumb", "{}", Account.Status.VALID, List.of(), NOW, null));
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(store.account("inside")).isEmpty();
        }
    }

    @Test
    void lifecycleDerivesOrderStatusFromAuthorizationsAndTime() {
        Identifier id = new Identifier(Identifier.DNS, "a.example.internal");
        Order order = new Order("o", "a", Order.Status.PENDING, NOW.plusSeconds(60), List.of(id), List.of("z"), null, null, null);
        Authorization pending = new Authorization("z", "a", "o", id, false, Authorization.Status.PENDING, NOW.plusSeconds(30));
        assertThat(Lifecycle.derive(order, List.of(pending), NOW)).isEqualTo(Order.Status.PENDING);
        assertThat(Lifecycle.derive(order, List.of(pending.withStatus(Authorization.Status.VALID)), NOW)).isEqualTo(Order.Status.READY);
        assertThat(Lifecycle.derive(order, List.of(pending.withStatus(Authorization.Status.INVALID)), NOW)).isEqualTo(Order.Status.INVALID);
        assertThat(Lifecycle.current(pending, NOW.plusSeconds(30)).status()).isEqualTo(Authorization.Status.EXPIRED);
        assertThat(Lifecycle.derive(order, List.of(pending), NOW.plusSeconds(60))).isEqualTo(Order.Status.INVALID);
        assertThat(Lifecycle.derive(order.withStatus(Order.Status.VALID, null), List.of(pending), NOW.plusSeconds(90)))
                .isEqualTo(Order.Status.VALID);
    }
}
