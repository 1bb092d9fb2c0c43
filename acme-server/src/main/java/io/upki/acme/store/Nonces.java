package io.upki.acme.store;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Anti-replay nonces (RFC 8555 section 6.5): each issued nonce is accepted at most once, and never after
 * its lifetime. {@link NonceStore} keeps them in this process; {@link SharedNonces} in the database that
 * replicated ra-cores share, so a nonce one replica issued is accepted by any other.
 */
public interface Nonces {
    /** A fresh nonce, base64url. */
    String issue();

    /** True once for a nonce that was issued and has not expired; false for any other value. */
    boolean consume(String nonce);

    /** Drops expired nonces (they are refused anyway); returns how many. */
    int purge();

    /** 128 random bits, base64url (RFC 8555 section 6.5.1). */
    static String fresh(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** RFC 8555 section 6.5.1: a nonce is base64url; anything else (or longer than any we issue) was never issued. */
    static boolean plausible(String nonce) {
        return nonce != null && !nonce.isEmpty() && nonce.length() <= 64;
    }
}
