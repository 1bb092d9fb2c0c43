package io.upki.acme.api;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable identifiers and tokens for ACME objects (128 bits for ids, 256 for tokens, RFC 8555 section 8.1). */
final class Ids {
    private Ids() {
    }

    static String random(SecureRandom random) {
        return bytes(random, 16);
    }

    static String token(SecureRandom random) {
        return bytes(random, 32);
    }

    private static String bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
