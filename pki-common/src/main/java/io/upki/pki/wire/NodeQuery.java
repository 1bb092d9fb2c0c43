package io.upki.pki.wire;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The filtered, paged form of {@code list_nodes} (upki's addition, CA-PROTOCOL.md section 6.2): the
 * request {@code {"filter": {"q", "cn", "profile", "state", "expiring_before"}, "offset", "limit"}},
 * answered by a {@link CertificatePage}. Null filter fields match every certificate.
 *
 * @param text case-insensitive substring of the CN or the slash DN, or a serial (decimal, {@code 0x} hex or colon hex)
 * @param cn exact common name
 * @param profile exact profile name
 * @param state {@code valid}, {@code revoked} or {@code expired}, as node records report it
 * @param expiringBefore certificates whose notAfter is before this instant
 */
public record NodeQuery(String text, String cn, String profile, String state, Instant expiringBefore, int offset,
                        int limit) {
    /** The states a node record reports. */
    public static final List<String> STATES = List.of("valid", "revoked", "expired");
    /** The largest page the CA answers. */
    public static final int MAX_LIMIT = 10_000;
    /** The longest text search. */
    public static final int MAX_TEXT = 256;

    public NodeQuery {
        text = blankToNull(text);
        cn = blankToNull(cn);
        profile = blankToNull(profile);
        state = blankToNull(state);
        if (state != null && !STATES.contains(state.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("state must be one of " + STATES);
        }
        state = state == null ? null : state.toLowerCase(Locale.ROOT);
        if (text != null && text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("q is at most " + MAX_TEXT + " characters");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** Every certificate, one page. */
    public static NodeQuery all(int offset, int limit) {
        return new NodeQuery(null, null, null, null, null, offset, limit);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
