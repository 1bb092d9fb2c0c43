package io.upki.sidecar;

import io.upki.pki.x509.SubjectFormat;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.upki.pki.assertion.AssertionSigner;
import io.upki.pki.assertion.AssertionVerifier;
import io.upki.pki.assertion.Identity;
import io.upki.pki.clientcert.ClientCertificateSource;
import io.upki.pki.clientcert.Headers;
import io.upki.pki.http.HttpServers;
import io.upki.pki.relying.TrustPipeline;
import io.upki.sidecar.decision.Decision;
import io.upki.sidecar.decision.DecisionEngine;
import io.upki.sidecar.metrics.SidecarMetrics;
import io.upki.pki.ops.Readiness;
import io.upki.pki.peer.ProxyPeer;
import io.upki.sidecar.tls.ProxyTlsConnector;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.AbstractConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's HTTP surface, one route per line: the forward-auth endpoints (any method, as Traefik's
 * preserveRequestMethod may send), health, readiness, metrics and the CRL refresh hook.
 */
public final class SidecarApp {
    public static final String SUBJECT = "X-Upki-Client-Subject";
    public static final String SERIAL = "X-Upki-Client-Serial";
    public static final String FINGERPRINT = "X-Upki-Client-Fingerprint";
    public static final String ROLE = "X-Upki-Client-Role";
    public static final String ASSERTION = "X-Upki-Assertion";
    /** The role header's value on a public route, where no certificate is asked for. */
    static final String ANONYMOUS = "anonymous";
    /** Every identity header, always present on a 2xx (Caddy 2.6 turns an omitted one into placeholder text). */
    public static final List<String> IDENTITY_HEADERS = List.of(SUBJECT, SERIAL, FINGERPRINT, ROLE, ASSERTION);
    /**
     * On a refusal, the reason code and its message again as headers: nginx's auth_request drops the
     * body of a 403 but can read these (auth_request_set) and build the client's JSON answer from them.
     */
    public static final String REFUSAL = "X-Upki-Refusal";
    public static final String REFUSAL_MESSAGE = "X-Upki-Refusal-Message";
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);
    private static final Logger AUDIT = LoggerFactory.getLogger("upki.audit");

    private final DecisionEngine engine;
    private final Map<String, ClientCertificateSource> sources;
    private final ClientCertificateSource defaultSource;
    private final AssertionSigner signer;
    private final TrustPipeline trust;
    /** Null with {@code --metrics off}: nothing is counted and there is no {@code /metrics} route. */
    private final SidecarMetrics metrics;
    private final boolean audit;
    /** Over HTTPS, who may call anything but the probes: upki's proxy; null over plain HTTP. */
    private ProxyPeer proxyPeer;
    /**
     * Assertions reused for identical requests for half their lifetime: the token for the same identity
     * (CRL number and role included), method and URI is exactly as valid, and an ECDSA signature per
     * request was the warm path's main cost. Revocation and roles are still decided on every request
     * before a token is handed out, and a new CRL or role changes the key.
     */
    private final Cache<AssertionKey, String> assertions;

    private record AssertionKey(Identity identity, String method, String uri) {
    }

    public SidecarApp(DecisionEngine engine, Map<String, ClientCertificateSource> sources, String defaultProxy,
                      AssertionSigner signer, Duration assertionTtl, TrustPipeline trust, SidecarMetrics metrics,
                      boolean audit) {
        this.assertions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(assertionTtl.dividedBy(2))
                .executor(Runnable::run).build();
        this.engine = engine;
        this.sources = Map.copyOf(sources);
        this.defaultSource = sources.get(defaultProxy);
        if (defaultSource == null) {
            throw new IllegalArgumentException("proxy: '" + defaultProxy + "' is not one of " + sources.keySet());
        }
        this.signer = signer;
        this.trust = trust;
        this.metrics = metrics;
        this.audit = audit;
    }

    /**
     * Builds the Javalin app (not started); {@code maxHeaderBytes} bounds what Jetty reads before we see it.
     *
     * @param tls the HTTPS listener, or null for plain HTTP
     * @param peer over HTTPS, the check that the client is upki's proxy
     */
    public Javalin create(String host, int port, int maxHeaderBytes, ProxyTlsConnector tls, ProxyPeer peer) {
        if ((tls == null) != (peer == null)) {
            throw new IllegalArgumentException("tls: the HTTPS listener and the proxy check go together");
        }
        this.proxyPeer = peer;
        return Javalin.create(config -> {
            // Deadlines for the request header and silent connections; the sidecar reads no bodies.
            if (tls == null) {
                config.jetty.addConnector((server, http) -> HttpServers.plain(server, http, host, port));
            } else {
                config.jetty.addConnector((server, http) -> HttpServers.withDeadlines((AbstractConnector) tls.connector(server, http, host, port)));
            }
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(maxHeaderBytes);
                http.setSendServerVersion(false);
                // Heap buffers: Jetty copies header values into its buffers one character at a time, and
                // a direct buffer pays a bounds-checked native put per byte. The certificate header in
                // and the assertion header out are kilobytes each: with direct buffers that copying was
                // the largest single cost of a warm request.
                http.setUseInputDirectByteBuffers(false);
                http.setUseOutputDirectByteBuffers(false);
            });
            config.startup.showJavalinBanner = false;
            HttpServers.noMethodOverride(config);
            // Javalin copies each result into Jetty's (pooled) output buffer through a fresh array of this
            // size, 32 KiB unless set: that array was three quarters of all the memory a request allocated,
            // and the young collections it caused set the tail latency. Answers here are well under 4 KiB.
            config.http.responseBufferSize = 4096;
            config.routes.before(this::requireProxy);
            for (HandlerType method : METHODS) {
                config.routes.addHttpHandler(method, "/auth", ctx -> authorize(ctx, defaultSource));
                config.routes.addHttpHandler(method, "/auth/{proxy}", this::authorizeFor);
            }
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/ready", this::ready);
            if (metrics != null) {
                config.routes.get("/metrics", ctx -> ctx.contentType(io.upki.pki.ops.OpsMetrics.CONTENT_TYPE).result(metricsText()));
            }
            config.routes.post("/crl/refresh", ctx -> {
                trust.refreshCrls();
                ready(ctx);
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LoggerFactory.getLogger(SidecarApp.class).error("request failed", e);
                ctx.status(500).json(Map.of("status", "error", "reason", "internal", "message", "internal error"));
            });
        });
    }

    /**
     * Over HTTPS, every route but the probes ({@code /health}, {@code /ready}) serves only the proxy's
     * certificate: an administrator's certificate is public, and a sidecar that judged it for anyone
     * would hand that anyone an administrator's assertion (issue #16 M1).
     */
    private void requireProxy(Context ctx) {
        if (proxyPeer == null || ProxyPeer.isProbe(ctx.path())) {
            return;
        }
        String refusal = proxyPeer.refusal(ctx.req().getAttribute(ProxyPeer.CERTIFICATES_ATTRIBUTE));
        if (refusal != null) {
            if (metrics != null) {
                metrics.decision("deny", ProxyPeer.REASON);
            }
            if (audit) {
                AUDIT.info("audit action=proxy-check result=deny status=403 reason={} path=\"{}\" remote={} detail=\"{}\"",
                        ProxyPeer.REASON, ctx.path().replace("\"", "%22"), ctx.req().getRemoteAddr(), refusal);
            }
            ctx.header(REFUSAL, ProxyPeer.REASON);
            ctx.header(REFUSAL_MESSAGE, refusal);
            ctx.status(403).json(Map.of("status", "error", "reason", ProxyPeer.REASON, "message", refusal));
            ctx.skipRemainingHandlers();
        }
    }

    private void ready(Context ctx) {
        Readiness r = readiness();
        ctx.status(r.status()).json(r.body());
    }

    /**
     * Ready once every CA has a current CRL: before that, every decision would be a refusal. Whether the
     * crl-publishers answer is reported beside ({@code crl_feed}) without changing the status: a sidecar
     * on the CA fallback decides correctly, and taking every sidecar out of rotation would not help.
     */
    Readiness readiness() {
        Readiness r = trust.ready() ? Readiness.OK : Readiness.notReady("no current CRL for every CA");
        return r.with("crl_feed", trust.feedHealth().body());
    }

    /** Whether metrics are kept ({@code --metrics on}). */
    boolean metricsOn() {
        return metrics != null;
    }

    /** The Prometheus text of {@code /metrics}. */
    String metricsText() {
        return metrics.render();
    }

    private void authorizeFor(Context ctx) {
        ClientCertificateSource source = sources.get(ctx.pathParam("proxy").toLowerCase(Locale.ROOT));
        if (source == null) {
            ctx.status(404).json(Map.of("status", "error", "reason", "unknown_proxy", "message",
                    "use /auth/traefik, /auth/nginx or /auth/caddy"));
            return;
        }
        authorize(ctx, source);
    }

    private void authorize(Context ctx, ClientCertificateSource source) {
        String method = ctx.header(source.original().methodHeader());
        if (method == null || method.isEmpty()) {
            method = ctx.method().name();
        }
        String uri = ctx.header(source.original().uriHeader());
        Headers headers = name -> {
            var values = ctx.req().getHeaders(name);
            return values == null ? List.of() : Collections.list(values);
        };
        Decision decision = engine.decide(source, headers, method, uri);
        if (metrics != null) {
            metrics.decision(decision instanceof Decision.Allowed ? "allow" : "deny", decision.reason());
        }
        if (audit) {
            audit(decision, source, method, uri);
        }
        if (decision instanceof Decision.Refused refused) {
            ctx.header(REFUSAL, refused.reason());
            ctx.header(REFUSAL_MESSAGE, refused.refusal().message());
            ctx.status(refused.status()).json(Map.of("status", "error", "reason", refused.reason(),
                    "message", refused.refusal().message()));
            return;
        }
        Decision.Allowed allowed = (Decision.Allowed) decision;
        Identity id = allowed.identity();
        if (id == null) {
            // A public route: every identity header present and empty, so none can be smuggled through.
            IDENTITY_HEADERS.forEach(h -> ctx.header(h, ""));
            ctx.header(ROLE, ANONYMOUS);
        } else {
            ctx.header(SUBJECT, SubjectFormat.headerSafe(id.subject()));
            ctx.header(SERIAL, id.serialHex());
            ctx.header(FINGERPRINT, id.fingerprint());
            ctx.header(ROLE, id.role().wireName());
            ctx.header(ASSERTION, assertion(allowed, method, uri));
        }
        ctx.status(200).json(Map.of("status", "ok", "role", id == null ? ANONYMOUS : id.role().wireName()));
    }

    /**
     * The assertion for this request: reused when an identical request had one made, else signed. Only
     * clients seen before (their verified path was cached) get theirs kept: a certificate seen once, as
     * on a burst of new clients, would fill the cache with tokens nobody asks for again, every one of
     * them surviving garbage collections until it expires. Only safe methods share one: the RA accepts
     * an assertion for POST, PUT, PATCH or DELETE once (the body is not bound to it; see
     * AssertionVerifier), so each such request gets its own.
     */
    private String assertion(Decision.Allowed decision, String method, String uri) {
        Identity id = decision.identity();
        if (!decision.seenBefore() || !AssertionVerifier.SAFE_METHODS.contains(method)) {
            return signer.sign(id, method, uri);
        }
        return assertions.get(new AssertionKey(id, method, uri), k -> signer.sign(id, method, uri));
    }

    private static void audit(Decision d, ClientCertificateSource source, String method, String uri) {
        Identity id = d instanceof Decision.Allowed a ? a.identity() : null;
        String detail = d instanceof Decision.Refused r ? r.detail() : null;
        AUDIT.info("audit action=forward-auth result={} status={} reason={} route={} proxy={} method={} uri=\"{}\"{}{}",
                d instanceof Decision.Allowed ? "allow" : "deny", d.status(), d.reason(), d.route(), source.name(), method,
                uri == null ? "" : uri.replace("\"", "%22"),
                id == null ? "" : " subject=\"" + SubjectFormat.headerSafe(id.subject()).replace("\"", "%22")
                        + "\" serial=" + id.serialHex() + " role=" + id.role().wireName(),
                detail == null ? "" : " detail=\"" + detail.replace("\"", "'") + "\"");
    }
}
