package io.upki.pki.assertion;

import io.upki.pki.assertion.AssertionVerifier.InvalidAssertionException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code jti} of every assertion accepted for an unsafe method, kept until that assertion could no
 * longer be accepted anyway, so each such assertion is good for one request only.
 *
 * <p>Why only unsafe methods (RFC 9110 section 9.2.1): forward-auth never sees the request body, so an
 * assertion binds method and URI but not the body, and whoever captured one could replay it with
 * another body while it lives. For GET, HEAD and OPTIONS the sidecar deliberately hands the same
 * assertion to identical requests (one ECDSA signature per request was its main cost), a replay returns
 * only what the original request read, and a one-time rule would refuse that reuse. For every other
 * method the sidecar signs a fresh assertion per request, so one-time use refuses nothing legitimate and
 * stops a POST from being replayed with another body (another CSR, another administrator's DN).
 */
public final class SingleUseAssertions {
    /** At most this many remembered ids: beyond it a new one is refused rather than an old one forgotten. */
    static final int DEFAULT_CAPACITY = 100_000;
    private static final int FIRST_PURGE = 1024;

    private final Clock clock;
    private final int capacity;
    private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
    /** Size at which expired ids are next swept out: doubles with what is left, so sweeps stay rare. */
    private volatile int purgeAt = FIRST_PURGE;

    public SingleUseAssertions(Clock clock) {
        this(clock, DEFAULT_CAPACITY);
    }

    SingleUseAssertions(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    /**
     * Records {@code jti} as used until {@code acceptableUntil}, after which the verifier refuses the
     * assertion for its age alone.
     *
     * @throws InvalidAssertionException when it was used before, or (failing closed) when too many are remembered
     */
    void claim(String jti, Instant acceptableUntil) throws InvalidAssertionException {
        if (jti == null || jti.isEmpty()) {
            throw new InvalidAssertionException("no jti on an assertion for an unsafe method");
        }
        if (seen.size() >= Math.min(purgeAt, capacity)) {
            Instant now = clock.instant();
            seen.values().removeIf(until -> until.isBefore(now));
            purgeAt = Math.max(FIRST_PURGE, 2 * seen.size());
            if (seen.size() >= capacity) {
                throw new InvalidAssertionException("too many single-use assertions in flight");
            }
        }
        if (seen.putIfAbsent(jti, acceptableUntil) != null) {
            throw new InvalidAssertionException("replayed: assertion " + jti + " was already used");
        }
    }

    /** How many ids are remembered. */
    int size() {
        return seen.size();
    }
}
