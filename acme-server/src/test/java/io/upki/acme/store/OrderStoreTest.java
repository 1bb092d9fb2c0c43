package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Orders: an account's orders oldest first, one finalization by compare-and-set, counts per state. */
class OrderStoreTest extends EngineSuite {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final Identifier NAME = new Identifier(Identifier.DNS, "a.example.internal");

    static Order order(String id, String account, Order.Status status) {
        return new Order(id, account, status, NOW.plusSeconds(3600), List.of(NAME), List.of("z-" + id), null, null, null);
    }

    @Test
    void anAccountsOrdersComeInTheOrderTheyWereCreated() {
        try (AcmeStore store = open()) {
            for (String id : List.of("zz", "aa", "mm")) {
                store.orders().insert(order(id, "acct", Order.Status.PENDING));
            }
            store.orders().insert(order("other", "acct-2", Order.Status.PENDING));
            assertThat(store.orders().idsOf("acct")).containsExactly("zz", "aa", "mm");
            assertThat(store.orders().idsOf("nobody")).isEmpty();
        }
    }

    @Test
    void onlyOneTransitionFromAStateWinsAndUpdatesKeepTheRest() {
        try (AcmeStore store = open()) {
            OrderStore orders = store.orders();
            orders.insert(order("o", "acct", Order.Status.READY));
            assertThat(orders.transition("o", Order.Status.READY, Order.Status.PROCESSING)).isTrue();
            assertThat(orders.transition("o", Order.Status.READY, Order.Status.PROCESSING)).isFalse();
            orders.update(orders.get("o").orElseThrow().withCertificate("cert-1"));
            Order stored = orders.get("o").orElseThrow();
            assertThat(stored.status()).isEqualTo(Order.Status.VALID);
            assertThat(stored.certificateId()).isEqualTo("cert-1");
            assertThat(stored.identifiers()).containsExactly(NAME);
        }
    }

    @Test
    void aDerivedStatusIsStoredOnlyOverTheStatusItWasDerivedFrom() {
        try (AcmeStore store = open()) {
            OrderStore orders = store.orders();
            orders.insert(order("o", "acct", Order.Status.PENDING));
            assertThat(orders.advance("o", Order.Status.PENDING, Order.Status.READY, null)).isTrue();
            assertThat(orders.transition("o", Order.Status.READY, Order.Status.PROCESSING)).isTrue();
            // a replica that read PENDING before must not put the order back to READY (or INVALID)
            assertThat(orders.advance("o", Order.Status.PENDING, Order.Status.READY, null)).isFalse();
            assertThat(orders.advance("o", Order.Status.PENDING, Order.Status.INVALID, "{}")).isFalse();
            assertThat(orders.get("o").orElseThrow().status()).isEqualTo(Order.Status.PROCESSING);
            assertThat(orders.advance("o", Order.Status.PROCESSING, Order.Status.INVALID, "{\"type\":\"x\"}")).isTrue();
            assertThat(orders.get("o").orElseThrow().error()).isEqualTo("{\"type\":\"x\"}");
        }
    }

    @Test
    void aLockedOrderIsReadInsideTheTransaction() {
        try (AcmeStore store = open()) {
            store.orders().insert(order("o", "acct", Order.Status.PENDING));
            store.transaction(() -> {
                assertThat(store.orders().lock("o").orElseThrow().status()).isEqualTo(Order.Status.PENDING);
                store.orders().advance("o", Order.Status.PENDING, Order.Status.READY, null);
            });
            assertThat(store.orders().lock("missing")).isEmpty();
            assertThat(store.orders().get("o").orElseThrow().status()).isEqualTo(Order.Status.READY);
        }
    }

    @Test
    void ordersAreCountedPerState() {
        try (AcmeStore store = open()) {
            store.orders().insert(order("o1", "acct", Order.Status.PENDING));
            store.orders().insert(order("o2", "acct", Order.Status.PENDING));
            store.orders().insert(order("o3", "acct", Order.Status.VALID));
            assertThat(store.orders().countsByStatus()).isEqualTo(Map.of(Order.Status.PENDING, 2L, Order.Status.VALID, 1L));
        }
    }
}
