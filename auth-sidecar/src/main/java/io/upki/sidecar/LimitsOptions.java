package io.upki.sidecar;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Bounds on a request's certificate header, the path cache and an assertion's life, read into {@link SidecarConfig.Limits}. */
final class LimitsOptions {
    @Option(names = "--assertion-ttl", defaultValue = "PT30S", description = "Lifetime of an assertion.")
    Duration assertionTtl;

    @Option(names = "--max-header-bytes", defaultValue = "65536",
            description = "Largest certificate header accepted (a longer one is refused with 403).")
    int maxHeaderBytes;

    @Option(names = "--max-certificates", defaultValue = "8", description = "Most certificates accepted in one header.")
    int maxCertificates;

    @Option(names = "--cache-size", defaultValue = "100000", description = "Verified paths kept in the cache.")
    long cacheSize;

    /** The validated settings. */
    SidecarConfig.Limits limits() {
        return new SidecarConfig.Limits(maxHeaderBytes, maxCertificates, cacheSize, assertionTtl);
    }
}
