package io.upki.sidecar.testing;

import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.pki.options.CrlFeedSettings;
import io.upki.pki.process.ProcessRunner;
import io.upki.sidecar.SidecarConfig;
import io.upki.sidecar.decision.RoutePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Builds a {@link SidecarConfig} for tests by naming only what a test cares about; the rest are the
 * values tests have always used (127.0.0.1, any port, traefik, upki's routes, 30 s polls and assertions,
 * 64 KiB headers, 8 certificates, audit on). The config's own checks still apply in {@link #build()}.
 */
public final class SidecarConfigBuilder {
    private final Path trustAnchor;
    private final List<String> crls;
    private final SidecarConfig.Signing signing;
    private Path intermediates;
    private String crlEvents;
    private CrlFallbackSettings fallback;
    private Path adminsFile;
    private String ca;
    private Duration adminRefresh = Duration.ofMillis(200);
    private String proxy = "traefik";
    private RoutePolicy routes = RoutePolicy.defaults();
    private long cacheSize = 1000;
    private boolean audit = true;
    private SidecarConfig.Tls tls;

    private SidecarConfigBuilder(Path trustAnchor, List<String> crls, SidecarConfig.Signing signing) {
        this.trustAnchor = trustAnchor;
        this.crls = crls;
        this.signing = signing;
    }

    /** A sidecar trusting {@code trustAnchor}, reading {@code crls}, signing with {@code signing}. */
    public static SidecarConfigBuilder trusting(Path trustAnchor, List<String> crls, SidecarConfig.Signing signing) {
        return new SidecarConfigBuilder(trustAnchor, crls, signing);
    }

    public SidecarConfigBuilder intermediates(Path bundle) {
        this.intermediates = bundle;
        return this;
    }

    public SidecarConfigBuilder crlEvents(String urls) {
        this.crlEvents = urls;
        return this;
    }

    public SidecarConfigBuilder fallback(CrlFallbackSettings settings) {
        this.fallback = settings;
        return this;
    }

    /** The admin list from a file. */
    public SidecarConfigBuilder adminsFile(Path file) {
        this.adminsFile = file;
        return this;
    }

    /** The CA's operations endpoints: the admin list (without a file) and the CRL fallback. */
    public SidecarConfigBuilder ca(String endpoints) {
        this.ca = endpoints;
        return this;
    }

    public SidecarConfigBuilder adminRefresh(Duration every) {
        this.adminRefresh = every;
        return this;
    }

    public SidecarConfigBuilder proxy(String profile) {
        this.proxy = profile;
        return this;
    }

    public SidecarConfigBuilder cacheSize(long paths) {
        this.cacheSize = paths;
        return this;
    }

    public SidecarConfigBuilder audit(boolean on) {
        this.audit = on;
        return this;
    }

    public SidecarConfigBuilder tls(SidecarConfig.Tls https) {
        this.tls = https;
        return this;
    }

    public SidecarConfig build() {
        return new SidecarConfig(new ProcessRunner.HostPort("127.0.0.1", 0),
                new SidecarConfig.Trust(trustAnchor, intermediates, new CrlFeedSettings(crls, crlEvents, fallback),
                        Duration.ofSeconds(30), Duration.ZERO),
                new SidecarConfig.Admins(adminsFile, ca, adminRefresh), signing,
                new SidecarConfig.Limits(64 * 1024, 8, cacheSize, Duration.ofSeconds(30)),
                new SidecarConfig.Decisions(proxy, routes, audit), tls);
    }
}
