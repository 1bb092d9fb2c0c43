package io.upki.ra.console;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The latest revocations made in this console, with the first CRL that carries each: what the CRL and
 * edge page times against the holders' fetches. Kept in memory, the newest first, at most {@code size}.
 */
final class Revocations {
    /** A revocation: which certificate, when the CA answered, and the number of the first CRL listing it. */
    record Revocation(BigInteger serial, String subject, String reason, Instant at, BigInteger crlNumber) {
    }

    private final int size;
    private final Deque<Revocation> recent = new ArrayDeque<>();

    Revocations(int size) {
        this.size = size;
    }

    synchronized void add(Revocation r) {
        recent.addFirst(r);
        while (recent.size() > size) {
            recent.removeLast();
        }
    }

    synchronized List<Revocation> newestFirst() {
        return new ArrayList<>(recent);
    }
}
