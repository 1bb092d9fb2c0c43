package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status rules of RFC 8555 section 7.1.6 that depend on time and on the order's authorizations. */
class LifecycleTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

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
