package io.upki.sidecar;

import io.upki.pki.caclient.CaEndpoints;
import io.upki.pki.options.CrlFeedOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What client certificates are checked against, read into a {@link SidecarConfig.Trust}. */
final class TrustOptions {
    @Option(names = "--trust-anchor", required = true, defaultValue = "${env:UPKI_TRUST_ANCHOR}",
            description = "PEM file with one or more root certificates (ca.crt).")
    Path trustAnchor;

    @Option(names = "--intermediates", defaultValue = "${env:UPKI_INTERMEDIATES}",
            description = "PEM bundle of intermediate CA certificates (nginx and Caddy send the leaf only).")
    Path intermediates;

    @Mixin
    CrlFeedOptions crl = new CrlFeedOptions();

    @Option(names = "--crl-poll", defaultValue = "PT30S", description = "How often CRL URLs are polled (ISO-8601).")
    Duration crlPoll;

    @Option(names = "--crl-grace", defaultValue = "${env:UPKI_CRL_GRACE:-PT0S}",
            description = "How long a CRL may be used past its nextUpdate (default none).")
    Duration crlGrace;

    /** The validated settings; {@code cas} gives the CRL fallback's default event feeds. */
    SidecarConfig.Trust trust(CaEndpoints cas) {
        return new SidecarConfig.Trust(trustAnchor, intermediates, crl.settings(cas), crlPoll, crlGrace);
    }
}
