package io.upki.pki.options;

import io.upki.pki.caclient.CaEndpoints;
import io.upki.pki.crlfeed.CrlFallbackSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a relying party (auth-sidecar, ra-core in direct mode) gets its CRLs: the sources it polls
 * ({@code --crl}), the crl-publishers' push channels ({@code --crl-events}) and the CA as the fallback
 * while no publisher answers ({@code --ca-events}, {@code --crl-fallback-after}); how often sources are
 * polled ({@code --crl-poll}) and how long a CRL may outlive its nextUpdate ({@code --crl-grace}).
 */
public final class CrlFeedOptions {
    @Option(names = "--crl", split = ",", defaultValue = "${env:UPKI_CRL}", paramLabel = "FILE|URL",
            description = "CRL file (PEM or DER) or http(s) URL such as the crl-publisher's /crl.der; repeatable or "
                    + "comma-separated (env UPKI_CRL).")
    List<String> crls = new ArrayList<>();

    @Option(names = "--crl-events", defaultValue = "${env:UPKI_CRL_EVENTS}", paramLabel = "URL[,URL...]",
            description = "crl-publisher push channels, comma-separated (http://publisher-a:8081/events,"
                    + "http://publisher-b:8081/events): each is followed, and a new CRL is taken from whichever "
                    + "announces it first (env UPKI_CRL_EVENTS).")
    String crlEvents;

    @Option(names = "--ca-events", defaultValue = "${env:UPKI_CA_EVENTS}", paramLabel = "tcp://HOST:PORT[,...]",
            description = "The CA's event feeds (tcp://ca:5002[,...]; CURVE like --ca): when no crl-publisher has "
                    + "answered for --crl-fallback-after, CRLs are taken from the CA (get_crl on each CRL it announces) "
                    + "until one answers again (env UPKI_CA_EVENTS; needs --ca; default: each --ca port + 2, as "
                    + "registration is each port + 1; 'none' turns the fallback off).")
    String caEvents;

    @Option(names = "--crl-fallback-after", defaultValue = "${env:UPKI_CRL_FALLBACK_AFTER:-PT2S}",
            description = "How long no crl-publisher may answer before the CA fallback starts (default ${DEFAULT-VALUE}).")
    Duration crlFallbackAfter;

    @Option(names = "--crl-poll", defaultValue = "PT30S", description = "How often CRL URLs are polled (ISO-8601).")
    Duration crlPoll;

    @Option(names = "--crl-grace", defaultValue = "${env:UPKI_CRL_GRACE:-PT0S}",
            description = "How long a CRL may be used past its nextUpdate (default none).")
    Duration crlGrace;

    /**
     * The whole feed: {@link #sources()}, {@link #events()}, {@link #fallback(CaEndpoints)}, poll and grace.
     *
     * @throws IllegalArgumentException for a malformed fallback endpoint, delay, poll interval or grace
     */
    public CrlFeedSettings settings(CaEndpoints cas) {
        return new CrlFeedSettings(sources(), events(), fallback(cas), crlPoll, crlGrace);
    }

    /** The CRL sources, in the order given (may be empty: the service's config says whether it may). */
    public List<String> sources() {
        return crls == null ? List.of() : List.copyOf(crls);
    }

    /** The push channels as given, or null to rely on polling only. */
    public String events() {
        return crlEvents;
    }

    /**
     * The CA fallback: {@code --ca-events} as given ({@code none}: no fallback), else each of {@code cas}'
     * event feeds (port + 2, as registration is port + 1), else null when no CA list was given.
     *
     * @throws IllegalArgumentException for a malformed endpoint or delay
     */
    public CrlFallbackSettings fallback(CaEndpoints cas) {
        if (caEvents != null && !caEvents.isBlank()) {
            return "none".equals(caEvents.strip()) ? null : new CrlFallbackSettings(caEvents, crlFallbackAfter);
        }
        return cas == null ? null : new CrlFallbackSettings(String.join(",", cas.events()), crlFallbackAfter);
    }
}
