package io.upki.sidecar;

import io.javalin.Javalin;
import io.upki.pki.assertion.AssertionSigner;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CircuitBreakingCaClient;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.clientcert.CertificateDecoding;
import io.upki.pki.clientcert.ClientCertificateSource;
import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.pki.crlfeed.CrlSources;
import io.upki.pki.ops.OpsServer;
import io.upki.pki.peer.ProxyPeer;
import io.upki.pki.relying.AdminSource;
import io.upki.pki.relying.TrustConfig;
import io.upki.pki.relying.TrustPipeline;
import io.upki.pki.x509.Pem;
import io.upki.sidecar.decision.DecisionEngine;
import io.upki.sidecar.metrics.SidecarMetrics;
import io.upki.sidecar.signing.SigningIdentity;
import io.upki.sidecar.tls.ProxyTlsConnector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The composition root of the sidecar: builds every object from a {@link SidecarConfig} and serves. */
public final class Sidecar implements AutoCloseable {
    /** File in the state directory with the highest CRL number accepted per issuer. */
    public static final String CRL_NUMBERS = "crl-numbers";

    private final Javalin app;
    private final TrustPipeline trust;
    private final List<AutoCloseable> closeables;
    private final DecisionEngine engine;
    private final SidecarApp routes;

    private Sidecar(Javalin app, SidecarApp routes, TrustPipeline trust, DecisionEngine engine,
                    List<AutoCloseable> closeables) {
        this.app = app;
        this.routes = routes;
        this.trust = trust;
        this.engine = engine;
        this.closeables = closeables;
    }

    /** Wires and starts a sidecar. */
    public static Sidecar start(SidecarConfig config, Clock clock) throws IOException {
        return start(config, io.upki.pki.caclient.CaCurve.NONE, clock);
    }

    /** @param curve how to reach the CA: CURVE with this sidecar's key (role sidecar), or plain */
    public static Sidecar start(SidecarConfig config, io.upki.pki.caclient.CaCurve curve, Clock clock)
            throws IOException {
        return start(config, curve, clock, true);
    }

    /**
     * @param metrics whether to keep metrics ({@code --metrics on}); when false no Micrometer registry
     *     exists, no decision is counted and {@code /metrics} answers 404 on both listeners
     */
    public static Sidecar start(SidecarConfig config, io.upki.pki.caclient.CaCurve curve, Clock clock, boolean metrics)
            throws IOException {
        List<AutoCloseable> closeables = new ArrayList<>();
        SidecarConfig.Trust t = config.trust();
        List<X509Certificate> anchors = certificates(t.trustAnchor());
        List<X509Certificate> intermediates = t.intermediates() == null ? List.of() : certificates(t.intermediates());
        SidecarConfig.Signing s = config.signing();
        SigningIdentity identity;
        if (s.keyFile() != null) {
            identity = SigningIdentity.fromFiles(s.keyFile(), s.chainFile());
        } else {
            try (ZmqCaClient registration = curve.client(s.registrationEndpoint())) {
                // Registration comes first: under CURVE it is what makes this sidecar's key known to the CA.
                identity = SigningIdentity.registered(registration, s.seed(), s.cn(), s.stateDir(), clock,
                        curve.newKey());
            }
        }
        try {
            CaClient ca = null;
            if (config.usesCa()) {
                ca = CircuitBreakingCaClient.wrap(curve.client(config.caEndpoint()));
                closeables.add(ca);
            }
            SidecarConfig.Admins a = config.admins();
            AdminSource admins = a.file() != null ? AdminSource.file(a.file(), a.refresh()) : AdminSource.ca(ca, a.refresh());
            CrlFallbackSettings f = t.crls().fallback();
            TrustConfig.CaFallback fallback = f == null ? null
                    : new TrustConfig.CaFallback(new TypedCaClient(ca), f.caEvents(), curve, f.after());
            SidecarConfig.Limits limits = config.limits();
            TrustPipeline trust = TrustPipeline.start(new TrustConfig(anchors, intermediates, crlFeed(config, fallback),
                    t.crls().grace(), admins, limits.cacheSize()), clock);
            closeables.add(0, trust); // stopped before the CA client its admin refresher polls
            DecisionEngine engine = new DecisionEngine(trust, config.decisions().routes());
            AssertionSigner signer = new AssertionSigner(identity.key(), identity.chain(), clock, limits.assertionTtl());

            CertificateDecoding decoding = new CertificateDecoding(limits.maxHeaderBytes(), limits.maxCertificates());
            SidecarMetrics meters = null;
            if (metrics) {
                meters = new SidecarMetrics(clock, trust.crls(), trust.pathCache(), trust::feedHealth);
                closeables.add(meters);
            }
            SidecarApp routes = new SidecarApp(engine, ClientCertificateSource.all(decoding), config.decisions().proxy(),
                    signer, limits.assertionTtl(), trust, meters, config.decisions().audit());
            // Jetty reads headers up to 8x our certificate bound, so an oversized certificate header
            // still reaches us and gets a 403 with a reason instead of Jetty's 431.
            ProxyTlsConnector tls = null;
            ProxyPeer peer = null;
            if (config.tls() != null) {
                // The proxy's certificate must come from the CA clients' certificates come from, and is
                // checked against the same CRLs.
                tls = ProxyTlsConnector.load(config.tls().certFile(), config.tls().keyFile(), trust.chains().trustedCas());
                peer = new ProxyPeer(trust.chains(), trust.crls()::current, clock);
            }
            Javalin app = routes.create(config.listen().host(), config.listen().port(),
                    Math.max(64 * 1024, limits.maxHeaderBytes() * 8), tls, peer);
            app.start();
            return new Sidecar(app, routes, trust, engine, closeables);
        } catch (IOException | RuntimeException e) {
            closeAll(closeables);
            throw e;
        }
    }

    private static List<X509Certificate> certificates(Path pemFile) throws IOException {
        return Pem.parseCertificates(Files.readString(pemFile, StandardCharsets.US_ASCII));
    }

    /** The CRL feed; the highest CRL numbers are kept in the state directory when there is one. */
    private static TrustConfig.CrlFeed crlFeed(SidecarConfig config, TrustConfig.CaFallback fallback) {
        Path stateDir = config.signing().stateDir();
        SidecarConfig.Trust t = config.trust();
        return new TrustConfig.CrlFeed(t.crls().sources(), TrustConfig.CrlFeed.events(t.crls().events()), t.crls().poll(),
                CrlSources.holderName("auth-sidecar"), stateDir == null ? null : stateDir.resolve(CRL_NUMBERS), fallback);
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
        OpsServer ops = OpsServer.start("sidecar", address, routes::readiness,
                routes.metricsOn() ? routes::metricsText : null);
        closeables.add(0, ops);
        return ops.port();
    }

    public DecisionEngine engine() {
        return engine;
    }

    /** The CRLs in force and their counters. */
    public io.upki.pki.crlfeed.CrlState crls() {
        return trust.crls();
    }

    /** Re-reads CRL files and URLs now. */
    public void refreshCrls() {
        trust.refreshCrls();
    }

    @Override
    public void close() {
        app.stop();
        closeAll(closeables);
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on shutdown: nothing more to do
            }
        }
    }
}
