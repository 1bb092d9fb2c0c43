package io.upki.testkit.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves: the system clock plus an offset (shared by the CA, publishers, sidecars and
 * RAs of one test), or with {@link #at(Instant)} a stopped clock that moves only when told.
 */
public final class MutableClock extends Clock {
    private volatile Instant stoppedAt;
    private volatile Duration offset = Duration.ZERO;

    /** The system clock, moved by {@link #advance}. */
    public MutableClock() {
        this(null);
    }

    private MutableClock(Instant stoppedAt) {
        this.stoppedAt = stoppedAt;
    }

    /** A clock stopped at {@code start}. */
    public static MutableClock at(Instant start) {
        return new MutableClock(start);
    }

    public void advance(Duration d) {
        offset = offset.plus(d);
    }

    /** Stops the clock at {@code instant}. */
    public void set(Instant instant) {
        offset = Duration.ZERO;
        stoppedAt = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant base = stoppedAt;
        return (base == null ? Instant.now() : base).plus(offset);
    }
}
