package io.upki.ra.acme.jws;

import io.upki.ra.acme.store.AcmeStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Anti-replay nonces (RFC 8555 section 6.5): 128 random bits, base64url, kept in the store until used
 * once or expired. A nonce accepted once is gone, so a replayed request is a badNonce.
 */
public final class Nonces {
    private final AcmeStore store;
    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random;

    public Nonces(AcmeStore store, Clock clock, Duration lifetime, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.lifetime = lifetime;
        this.random = random;
    }

    public String issue() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        store.putNonce(nonce, clock.instant().plus(lifetime));
        return nonce;
    }

    /** True once for a nonce this server issued and that has not expired. */
    public boolean consume(String nonce) {
        // RFC 8555 section 6.5.1: the value is base64url; anything else was never issued here.
        if (nonce == null || nonce.isEmpty() || nonce.length() > 64 || !nonce.matches("[A-Za-z0-9_-]+")) {
            return false;
        }
        return store.takeNonce(nonce, clock.instant());
    }

    public int purge() {
        return store.purgeExpiredNonces(clock.instant());
    }
}
