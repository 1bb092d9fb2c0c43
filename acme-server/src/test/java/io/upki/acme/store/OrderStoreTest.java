package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orders: an account's orders oldest first, one finalization by compare-and-set, counts per state. */
class OrderStoreTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final Identifier NAME = new Identifier(Identifier.DNS, "a.example.internal");
    @TempDir
    Path dir;

    static Order order(String id, String account, Order.Status status) {
        return new Order(id, account, status, NOW.plusSeconds(3600), List.of(NAME), List.of("z-" + id), null, null, null);
    }

    @Test
    void anAccountsOrdersComeInTheOrderTheyWereCreated() {
        try (AcmeStore store = AcmeStore.sqlite(dir.resolve("acme.db"))) {
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
        try (AcmeStore store = AcmeStore.sqlite(dir.resolve("acme.db"))) {
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
    void ordersAreCountedPerState() {
        try (AcmeStore store = AcmeStore.sqlite(dir.resolve("acme.db"))) {
            store.orders().insert(order("o1", "acct", Order.Status.PENDING));
            store.orders().insert(order("o2", "acct", Order.Status.PENDING));
            store.orders().insert(order("o3", "acct", Order.Status.VALID));
            assertThat(store.orders().countsByStatus()).isEqualTo(Map.of(Order.Status.PENDING, 2L, Order.Status.VALID, 1L));
        }
    }
}
