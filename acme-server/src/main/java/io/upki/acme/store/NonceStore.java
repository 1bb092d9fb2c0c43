package io.upki.acme.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Anti-replay nonces (RFC 8555 section 6.5) of one ra-core: 128 random bits, base64url, kept in memory
 * until used once, expired, or pushed out by the bound. A nonce accepted once is gone, so a replayed request is a badNonce.
 */
public final class NonceStore implements Nonces {
    /** At most this many outstanding nonces: a client asking for nonces it never uses cannot grow the RA's memory. */
    static final int MAX_OUTSTANDING = 100_000;
    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random;
    private final int max;
    /**
     * Expiry by nonce, in issue order (so the oldest go first). In memory, not in acme.db: RFC 8555 section
     * 6.5 lets a server refuse any nonce with badNonce and a fresh Replay-Nonce, which clients retry with, so a
     * restart only costs each client one retry, and every request saves two database writes.
     */
    private final LinkedHashMap<String, Instant> issued = new LinkedHashMap<>();

    public NonceStore(Clock clock, Duration lifetime, SecureRandom random) {
        this(clock, lifetime, random, MAX_OUTSTANDING);
    }

    NonceStore(Clock clock, Duration lifetime, SecureRandom random, int max) {
        this.clock = clock;
        this.lifetime = lifetime;
        this.random = random;
        this.max = max;
    }

    @Override
    public String issue() {
        String nonce = Nonces.fresh(random);
        Instant expires = clock.instant().plus(lifetime);
        synchronized (issued) {
            issued.put(nonce, expires);
            if (issued.size() > max) {
                Iterator<String> oldest = issued.keySet().iterator();
                oldest.next();
                oldest.remove(); // its holder gets a badNonce and retries with the fresh nonce sent along
            }
        }
        return nonce;
    }

    /** True once for a nonce this server issued and that has not expired. */
    @Override
    public boolean consume(String nonce) {
        if (!Nonces.plausible(nonce)) {
            return false;
        }
        Instant expires;
        synchronized (issued) {
            expires = issued.remove(nonce);
        }
        return expires != null && clock.instant().isBefore(expires);
    }

    @Override
    public int purge() {
        Instant now = clock.instant();
        int n = 0;
        synchronized (issued) {
            Iterator<Map.Entry<String, Instant>> it = issued.entrySet().iterator();
            while (it.hasNext()) {
                if (!now.isBefore(it.next().getValue())) {
                    it.remove();
                    n++;
                }
            }
        }
        return n;
    }
}
