package io.upki.pki.crlfeed;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CRLs come from right now, for {@code /ready} and the metrics: from the crl-publishers, or,
 * when none answers, from the CA itself (degraded) or from nowhere new (degraded, no fallback configured).
 *
 * @param publishers push channels configured
 * @param answering of those, how many answer now
 * @param fallback whether a CA fallback is configured
 */
public record FeedHealth(Mode mode, int publishers, int answering, boolean fallback) {

    /** The feed's state. */
    public enum Mode {
        /** At least one publisher answers. */
        PUBLISHERS,
        /** No publisher answers: CRLs come from the CA ({@code get_crl} on each CA event). */
        CA_FALLBACK,
        /** No publisher answers and no CA fallback is configured: new CRLs do not arrive. */
        NO_PUBLISHER,
        /** No push channel configured (files or polled URLs only): nothing to judge. */
        NOT_WATCHED
    }

    /** True when no publisher answers. */
    public boolean degraded() {
        return mode == Mode.CA_FALLBACK || mode == Mode.NO_PUBLISHER;
    }

    /** One line for an operator. */
    public String describe() {
        return switch (mode) {
            case PUBLISHERS -> answering + " of " + publishers + " crl-publishers answer";
            case CA_FALLBACK -> "degraded: no crl-publisher answers (" + publishers
                    + " configured); following the CA's CRL and event feed";
            case NO_PUBLISHER -> "degraded: no crl-publisher answers (" + publishers + " configured)" + (fallback
                    ? "; taking CRLs from the CA once --crl-fallback-after has passed"
                    : " and no CA fallback (--ca-events): new CRLs do not arrive");
            case NOT_WATCHED -> "no push channel configured (--crl-events): CRLs are polled";
        };
    }

    /** The {@code crl_feed} member of {@code /ready}. */
    public Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        m.put("degraded", degraded());
        m.put("publishers", publishers);
        m.put("answering", answering);
        m.put("detail", describe());
        return m;
    }
}
