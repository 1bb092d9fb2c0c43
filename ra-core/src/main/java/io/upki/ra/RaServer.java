package io.upki.ra;

import io.javalin.Javalin;
import io.upki.acme.AcmeServer;
import io.upki.acme.audit.AcmeAudit;
import io.upki.pki.assertion.AssertionVerifier;
import io.upki.pki.assertion.CaSignerCertificates;
import io.upki.pki.assertion.SingleUseAssertions;
import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CircuitBreakingCaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.pki.crlfeed.CrlSources;
import io.upki.pki.http.HttpServers;
import io.upki.pki.relying.AdminSource;
import io.upki.pki.relying.TrustConfig;
import io.upki.pki.relying.TrustPipeline;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.ops.OpsServer;
import io.upki.pki.peer.ProxyPeer;
import io.upki.ra.api.ApiException;
import io.upki.ra.api.RaApi;
import io.upki.ra.audit.RaAudit;
import io.upki.ra.auth.Authenticator;
import io.upki.ra.auth.DirectAuthenticator;
import io.upki.ra.auth.EdgeAuthenticator;
import io.upki.ra.bootstrap.RaIdentity;
import io.upki.ra.ops.RaOps;
import io.upki.ra.tls.MutualTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.AbstractConnector;

/** The composition root of the ra-core: identity, CA client, authenticator for the mode, API, server. */
public final class RaServer implements AutoCloseable {
    /** How often the CA is called in the background to tell readiness; never on the probe itself. */
    private static final Duration OPS_CHECK_INTERVAL = Duration.ofSeconds(10);
    private final Javalin app;
    private final List<AutoCloseable> closeables;
    private final RaOps ops;

    private RaServer(Javalin app, List<AutoCloseable> closeables, RaOps ops) {
        this.app = app;
        this.closeables = closeables;
        this.ops = ops;
    }

    public static RaServer start(RaConfig config, Clock clock) throws IOException {
        return start(config, CaCurve.NONE, clock, RaAudit.logOnly(clock));
    }

    /** Like the method above, recording API and ACME changes and refusals in {@code audit}. */
    public static RaServer start(RaConfig config, Clock clock, RaAudit audit) throws IOException {
        return start(config, CaCurve.NONE, clock, audit);
    }

    /** @param curve how to reach the CA: CURVE (the RA's key enrols when it registers) or plain */
    public static RaServer start(RaConfig config, CaCurve curve, Clock clock) throws IOException {
        return start(config, curve, clock, RaAudit.logOnly(clock));
    }

    /** The RA reaching the CA by {@code curve}, recording API and ACME changes and refusals in {@code audit}. */
    public static RaServer start(RaConfig config, CaCurve curve, Clock clock, RaAudit audit) throws IOException {
        List<AutoCloseable> closeables = new ArrayList<>();
        RaIdentity identity;
        try (ZmqCaClient registration = curve.client(config.ca().registration(), t -> Duration.ofSeconds(30), 0,
                new WireCodec())) {
            // A new CURVE key is unknown to the CA: registering again (with the seed) enrols it as role ra.
            identity = RaIdentity.loadOrRegister(config.dataDir(), registration, config.identity().seed(), config.identity().cn(),
                    config.identity().sans(),
                    curve.newKey());
        }
        // Bounded waits: a CA that is down answers 503 within a few seconds; a fresh socket per timeout.
        // While the CA is known to be down, CA-backed requests answer 503 at once (issue #19).
        CaClient ca = CircuitBreakingCaClient.wrap(curve.client(config.ca().operations(), t -> config.ca().timeout(), 0, new WireCodec()));
        closeables.add(ca);
        // Both modes follow the CRL feed, pushed within a second of each new CRL: direct mode to check
        // client certificates, edge mode to check the sidecars' assertion-signer certificates, so that a
        // sidecar key revoked for keyCompromise stops vouching for anyone (issue #16 M2). Only direct
        // mode reads the admin list: in edge mode the role arrives in the sidecar's assertion.
        AdminSource admins = config.mode() == RaConfig.Mode.EDGE ? AdminSource.none()
                : AdminSource.ca(ca, config.adminRefresh());
        CrlFallbackSettings crlFallback = config.crls().fallback();
        TrustConfig.CaFallback fallback = crlFallback == null ? null : new TrustConfig.CaFallback(
                new io.upki.pki.caclient.TypedCaClient(ca), crlFallback.caEvents(), curve, crlFallback.after());
        TrustPipeline trust = TrustPipeline.start(new TrustConfig(List.of(identity.caCertificate()), List.of(),
                new TrustConfig.CrlFeed(config.crls().sources(), TrustConfig.CrlFeed.events(config.crls().events()),
                        config.crls().poll(), CrlSources.holderName("ra-core"), null, fallback),
                config.crls().grace(), admins, 0), clock);
        closeables.add(0, trust); // stopped before the CA client its admin refresher polls
        ChainVerifier chains = trust.chains();
        Authenticator authenticator;
        if (config.mode() == RaConfig.Mode.EDGE) {
            authenticator = new EdgeAuthenticator(new AssertionVerifier(chains, new CaSignerCertificates(ca, clock), clock,
                    Duration.ofSeconds(2), trust.crls()::current, new SingleUseAssertions(clock)));
        } else {
            authenticator = new DirectAuthenticator(trust);
        }
        byte[] openApi;
        try (InputStream in = RaServer.class.getResourceAsStream("/openapi.json")) {
            openApi = in.readAllBytes();
        }
        RaApi api = new RaApi(ca, authenticator, config.maxBodyBytes(), config.publisher(), openApi, audit);
        // ACME authenticates every request by its JWS, so /acme needs no client certificate in either mode.
        AcmeServer acme = config.acme().enabled() ? AcmeServer.start(config.acme(), ca, config.dataDir(),
                config.mode() == RaConfig.Mode.EDGE, config.maxBodyBytes(), clock, new AcmeAudit(audit.trail())) : null;
        if (acme != null) {
            closeables.add(acme);
        }
        RaOps ops = new RaOps(ca, trust.crls(), trust::feedHealth, acme, clock, OPS_CHECK_INTERVAL);
        closeables.add(0, ops); // stopped first: its background check uses the CA client
        Javalin app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            HttpServers.noMethodOverride(c);
            c.http.maxRequestSize = config.maxBodyBytes();
            // Javalin copies each result into Jetty's pooled output buffer through a fresh array of this size
            // (32 KiB unless set), most of what a request allocated; larger bodies just take more copies.
            c.http.responseBufferSize = 4096;
            c.jetty.modifyHttpConfiguration(h -> {
                h.setSendServerVersion(false);
                h.setRequestHeaderSize(32 * 1024); // sidecar assertions with certificate chains
            });
            // Slow clients: bodies read without a thread and within a deadline, at most so many at once,
            // and deadlines for the TLS handshake and request header (io.upki.pki.http).
            HttpServers.loadBodies(c, config.maxBodyBytes());
            if (config.listen().https()) {
                c.jetty.addConnector((server, http) -> HttpServers.withDeadlines((AbstractConnector) MutualTls.connector(
                        server, http, config.listen().host(), config.listen().port(), identity.key(), identity.certificate(),
                        identity.caCertificate())));
            } else {
                c.jetty.addConnector((server, http) -> HttpServers.plain(server, http, config.listen().host(), config.listen().port()));
            }
            if (config.listen().edgeTls()) {
                // Before every route but ACME, the public API and the probes: only the proxy may call the
                // edge listener, and the assertion check that follows still applies (issue #16 M1). The
                // exceptions are what the internet already reaches through the proxy unauthenticated, and
                // Traefik's own ACME client has no client certificate to present (docs/SECURITY.md).
                ProxyPeer proxy = new ProxyPeer(chains, trust.crls()::current, clock);
                c.routes.before(ctx -> {
                    if (servesAnyPeer(ctx.path())) {
                        return;
                    }
                    String refusal = proxy.refusal(ctx.req().getAttribute(ProxyPeer.CERTIFICATES_ATTRIBUTE));
                    if (refusal != null) {
                        throw new ApiException(403, ProxyPeer.REASON, refusal);
                    }
                });
            }
            api.register(c);
            io.upki.ra.console.Console.mount(c, ca, authenticator, config.publisher(), audit, clock); // /ui/, issue #21
            ops.register(c);
            if (acme != null) {
                acme.mount(c);
            }
        });
        app.start();
        return new RaServer(app, closeables, ops);
    }

    /** The health, readiness and metrics routes' state (tests run its CA check on demand). */
    public RaOps ops() {
        return ops;
    }

    /**
     * Whether a path of the edge listener is served to any TLS peer: ACME (authenticated by the account's
     * JWS, RFC 8555 section 6.2, and called directly by Traefik's ACME client, which has no client
     * certificate), the public API and the probes. Each is reachable without a certificate through the
     * proxy anyway, so serving it behind the proxy grants nothing more; every other path needs the proxy.
     */
    static boolean servesAnyPeer(String path) {
        return path.equals("/acme") || path.startsWith("/acme/") || path.startsWith("/api/v1/public/")
                || ProxyPeer.isProbe(path);
    }

    public int port() {
        return app.port();
    }

    /**
     * Serves {@code /health}, {@code /ready} and {@code /metrics} over plain HTTP on {@code address}
     * ({@code --ops-listen}), for probes and Prometheus, which hold no proxy certificate.
     *
     * @return the bound port
     */
    public synchronized int startOps(InetSocketAddress address) throws IOException {
        OpsServer server = OpsServer.start("ra", address, ops::readiness, ops::metricsText);
        closeables.add(0, server);
        return server.port();
    }

    @Override
    public void close() {
        app.stop();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // shutting down
            }
        }
    }
}
