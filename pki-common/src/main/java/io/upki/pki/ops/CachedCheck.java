package io.upki.pki.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A readiness check run at most once per {@code ttl} (by the injected clock): probes arrive every few
 * seconds from several places, and a check such as a test signature need not run for each.
 */
public final class CachedCheck implements Supplier<Readiness> {
    private final Supplier<Readiness> check;
    private final Duration ttl;
    private final Clock clock;
    private Readiness last;
    private Instant checkedAt;

    public CachedCheck(Supplier<Readiness> check, Duration ttl, Clock clock) {
        this.check = check;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized Readiness get() {
        Instant now = clock.instant();
        if (last == null || now.isBefore(checkedAt) || !now.isBefore(checkedAt.plus(ttl))) {
            Readiness r;
            try {
                r = check.get();
            } catch (RuntimeException e) {
                r = Readiness.notReady(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            last = r;
            checkedAt = now;
        }
        return last;
    }
}
