package io.upki.sidecar;

import io.javalin.Javalin;
import io.upki.pki.assertion.AssertionSigner;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CircuitBreakingCaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.clientcert.CaddySource;
import io.upki.pki.clientcert.CertificateDecoding;
import io.upki.pki.clientcert.ClientCertificateSource;
import io.upki.pki.clientcert.NginxSource;
import io.upki.pki.clientcert.TraefikSource;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlNumberFloor;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.x509.Pem;
import io.upki.pki.admins.AdminDirectory;
import io.upki.pki.admins.AdminRefresher;
import io.upki.sidecar.decision.DecisionEngine;
import io.upki.sidecar.metrics.SidecarMetrics;
import io.upki.pki.crlfeed.CrlPushListener;
import io.upki.pki.crlfeed.CrlSources;
import io.upki.pki.crlfeed.CrlState;
import io.upki.sidecar.signing.SigningIdentity;
import io.upki.sidecar.tls.ProxyTlsConnector;
import io.upki.pki.ops.OpsServer;
import io.upki.pki.peer.ProxyPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The composition root of the sidecar: builds every object from a {@link SidecarConfig} and serves. */
public final class Sidecar implements AutoCloseable {
    /** File in the state directory with the highest CRL number accepted per issuer. */
    public static final String CRL_NUMBERS = "crl-numbers";

    private final Javalin app;
    private final CrlSources crlSources;
    private final AdminRefresher adminRefresher;
    private final List<AutoCloseable> closeables;
    private final DecisionEngine engine;
    private final SidecarApp routes;

    private Sidecar(Javalin app, SidecarApp routes, CrlSources crlSources, AdminRefresher adminRefresher,
                    DecisionEngine engine, List<AutoCloseable> closeables) {
        this.app = app;
        this.routes = routes;
        this.crlSources = crlSources;
        this.adminRefresher = adminRefresher;
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
        List<AutoCloseable> closeables = new ArrayList<>();
        List<X509Certificate> anchors = Pem.parseCertificates(Files.readString(config.trustAnchor(), StandardCharsets.US_ASCII));
        List<X509Certificate> intermediates = config.intermediates() == null ? List.of()
                : Pem.parseCertificates(Files.readString(config.intermediates(), StandardCharsets.US_ASCII));
        ChainVerifier chains = new ChainVerifier(anchors, intermediates, clock);

        AtomicReference<DecisionEngine> engineRef = new AtomicReference<>();
        Runnable invalidate = () -> {
            DecisionEngine e = engineRef.get();
            if (e != null) {
                e.invalidate();
            }
        };
        // The highest CRL number per issuer survives restarts, so an older, still valid CRL cannot undo revocations.
        Path stateDir = config.signing().stateDir();
        CrlNumberFloor floor = stateDir == null ? CrlNumberFloor.inMemory() : CrlNumberFloor.open(stateDir.resolve(CRL_NUMBERS));
        CrlState crls = new CrlState(new CrlAcceptor(chains.trustedCas(), clock, config.crlGrace(), floor), clock,
                chains.trustedCas(), invalidate);
        AdminDirectory admins = new AdminDirectory(invalidate);
        DecisionEngine engine = new DecisionEngine(chains, crls::current, admins, config.routes(), clock,
                config.crlGrace(), config.cacheSize());
        engineRef.set(engine);

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
        AdminRefresher adminRefresher;
        if (config.adminsFile() != null) {
            adminRefresher = AdminRefresher.fromFile(config.adminsFile(), admins, config.adminRefresh());
        } else {
            CaClient ca = CircuitBreakingCaClient.wrap(curve.client(config.caEndpoint()));
            closeables.add(ca);
            adminRefresher = AdminRefresher.fromCa(ca, admins, config.adminRefresh());
        }
        closeables.add(adminRefresher);
        AssertionSigner signer = new AssertionSigner(identity.key(), identity.chain(), clock, config.assertionTtl());

        CrlSources crlSources = new CrlSources(crls, config.crls(), config.crlPoll(),
                CrlSources.holderName("auth-sidecar"));
        closeables.add(crlSources);
        crlSources.start();
        if (config.crlEvents() != null && !config.crlEvents().isBlank()) {
            CrlPushListener push = new CrlPushListener(java.net.URI.create(config.crlEvents()), crlSources);
            closeables.add(push);
            push.start();
        }

        CertificateDecoding decoding = new CertificateDecoding(config.maxHeaderBytes(), config.maxCertificates());
        Map<String, ClientCertificateSource> sources = Map.of(
                "traefik", new TraefikSource(decoding), "nginx", new NginxSource(decoding), "caddy", new CaddySource(decoding));
        SidecarMetrics metrics = new SidecarMetrics(clock, crls, engine.cache());
        closeables.add(metrics);
        SidecarApp routes = new SidecarApp(engine, sources, config.proxy(), signer, config.assertionTtl(), crls, crlSources,
                metrics, config.audit());
        // Jetty reads headers up to 8x our certificate bound, so an oversized certificate header
        // still reaches us and gets a 403 with a reason instead of Jetty's 431.
        ProxyTlsConnector tls = null;
        ProxyPeer peer = null;
        if (config.tls() != null) {
            // The proxy's certificate must come from the CA clients' certificates come from, and is
            // checked against the same CRLs.
            tls = ProxyTlsConnector.load(config.tls().certFile(), config.tls().keyFile(), chains.trustedCas());
            peer = new ProxyPeer(chains, crls::current, clock);
        }
        Javalin app = routes.create(config.host(), config.port(), Math.max(64 * 1024, config.maxHeaderBytes() * 8),
                tls, peer);
        app.start();
        return new Sidecar(app, routes, crlSources, adminRefresher, engine, closeables);
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
        OpsServer ops = OpsServer.start("sidecar", address, routes::readiness, routes::metricsText);
        closeables.add(0, ops);
        return ops.port();
    }

    public DecisionEngine engine() {
        return engine;
    }

    /** Re-reads CRL files and URLs now. */
    public void refreshCrls() {
        crlSources.refreshNow();
    }

    @Override
    public void close() {
        app.stop();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on shutdown: nothing more to do
            }
        }
    }
}
