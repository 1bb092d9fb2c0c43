package io.upki.sidecar.testing;

import io.upki.pki.options.CrlFeedSettings;
import io.upki.pki.process.ProcessRunner;
import io.upki.sidecar.SidecarConfig;
import io.upki.sidecar.decision.RoutePolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The parts of a {@link SidecarConfig} tests do not vary, with the values tests have always used, so a
 * test names only the parts it cares about: {@code new SidecarConfig(ANY_PORT, trust(...), admins, signing,
 * limits(1000), decisions("traefik", true), null)}.
 */
public final class SidecarConfigParts {
    /** 127.0.0.1, any free port. */
    public static final ProcessRunner.HostPort ANY_PORT = new ProcessRunner.HostPort("127.0.0.1", 0);

    private SidecarConfigParts() {
    }

    /** Trusting {@code anchor} (and {@code intermediates}, or null); CRLs polled every 30 s, none used past nextUpdate. */
    public static SidecarConfig.Trust trust(Path anchor, Path intermediates, CrlFeedSettings crls) {
        return new SidecarConfig.Trust(anchor, intermediates, crls);
    }

    /** 64 KiB certificate headers, 8 certificates a header, 30 s assertions; {@code cacheSize} verified paths kept. */
    public static SidecarConfig.Limits limits(long cacheSize) {
        return new SidecarConfig.Limits(64 * 1024, 8, cacheSize, Duration.ofSeconds(30));
    }

    /** Proxy profile {@code proxy}, upki's route policy, one audit line per decision when {@code audit}. */
    public static SidecarConfig.Decisions decisions(String proxy, boolean audit) {
        return new SidecarConfig.Decisions(proxy, RoutePolicy.defaults(), audit);
    }
}
