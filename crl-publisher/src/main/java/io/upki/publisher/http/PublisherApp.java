package io.upki.publisher.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.upki.pki.crlfeed.CrlSources;
import io.upki.pki.http.HttpServers;
import io.upki.pki.ops.OpsMetrics;
import io.upki.pki.ops.Readiness;
import io.upki.pki.x509.CertificateFacts;
import io.upki.publisher.fetch.CrlRefresher;
import io.upki.publisher.publish.GenerationCrls;
import io.upki.publisher.publish.Publication;
import io.upki.publisher.publish.PublisherReadiness;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.LoggerFactory;

/**
 * Routes of the publisher, one per line. CRLs authenticate themselves (they are signed), so the
 * distribution point needs no authentication, as RFC 5280 section 4.2.1.13 intends.
 */
public final class PublisherApp {
    private static final String HOLDER = CrlSources.HOLDER_HEADER;
    private static final Pattern GENERATION_FILE = Pattern.compile("([1-9][0-9]{0,5})\\.(der|pem)");
    private final Publication publication;
    private final CrlRefresher refresher;
    private final PushHub hub;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration refreshWait;
    private final Supplier<String> metrics;
    private final byte[] caPem;
    private final CrlHolders holders;
    private OcspEndpoint ocsp;
    private RootCrlFile rootCrl;
    private GenerationCrls generations;

    /** @param refreshWait how long {@code POST /refresh} waits for the CA before answering 503 */
    public PublisherApp(Publication publication, CrlRefresher refresher, PushHub hub, Clock clock, Duration maxAge,
                        Duration refreshWait, Supplier<String> metrics, byte[] caPem) {
        this.refreshWait = refreshWait;
        this.publication = publication;
        this.refresher = refresher;
        this.hub = hub;
        this.clock = clock;
        this.maxAge = maxAge;
        this.metrics = metrics;
        this.caPem = caPem.clone();
        this.holders = new CrlHolders(clock);
    }

    /** Also serves the OCSP responder at {@code /ocsp}. */
    public PublisherApp withOcsp(OcspEndpoint endpoint) {
        this.ocsp = endpoint;
        return this;
    }

    /** Also serves each issuing-key generation's CRL at {@code /crl/N.der|pem} and all of them at {@code /crls.pem}. */
    public PublisherApp withGenerations(GenerationCrls g) {
        this.generations = g;
        return this;
    }

    /** Also serves the offline root's CRL from {@code file} at {@code /root.crl} and {@code /root.crl.pem}. */
    public PublisherApp withRootCrl(RootCrlFile file) {
        this.rootCrl = file;
        return this;
    }

    public Javalin create(String host, int port) {
        return Javalin.create(config -> {
            // Deadlines for the request header and silent connections; the publisher reads no bodies.
            config.jetty.addConnector((server, http) -> HttpServers.plain(server, http, host, port));
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            if (ocsp != null) {
                // RFC 6960 appendix A.1 GETs carry base64 in the path, which nginx escapes ('/' as %2F):
                // Jetty refuses such "ambiguous" paths unless told otherwise. Only /ocsp reads them, raw.
                config.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(UriCompliance.DEFAULT.with("ocsp",
                        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING)));
                config.jetty.modifyServletContextHandler(handler -> handler.getServletHandler().setDecodeAmbiguousURIs(true));
                ocsp.register(config.routes);
            }
            config.startup.showJavalinBanner = false;
            HttpServers.noMethodOverride(config);
            config.routes.get("/crl.der", ctx -> serveCrl(ctx, true));
            config.routes.get("/crl.pem", ctx -> serveCrl(ctx, false));
            if (generations != null) {
                config.routes.get("/crls.pem", this::serveBundle);
                config.routes.get("/crl/{file}", this::serveGeneration);
            }
            config.routes.get("/ca.crt", ctx -> ctx.contentType("application/x-pem-file").result(caPem));
            if (rootCrl != null) {
                config.routes.get("/root.crl", ctx -> rootCrl.serve(ctx, false));
                config.routes.get("/root.crl.pem", ctx -> rootCrl.serve(ctx, true));
            }
            config.routes.sse("/events", client -> {
                String holder = CrlHolders.name(client.ctx().header(HOLDER));
                String address = client.ctx().ip();
                holders.subscribed(holder, address, true);
                hub.subscribe(client, publication.current(), () -> holders.subscribed(holder, address, false));
            });
            config.routes.post("/refresh", this::refresh);
            config.routes.get("/status/holders", this::holders);
            config.routes.post("/status/took", this::tookDelta);
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/ready", this::ready);
            config.routes.get("/metrics", ctx -> ctx.contentType(OpsMetrics.CONTENT_TYPE).result(metrics.get()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LoggerFactory.getLogger(PublisherApp.class).error("request failed", e);
                ctx.status(500).json(Map.of("status", "error", "message", "internal error"));
            });
        });
    }

    private void serveCrl(Context ctx, boolean der) {
        serveCrl(ctx, der, publication.current());
    }

    /** {@code /crl/N.der} or {@code /crl/N.pem}: generation N's CRL (docs/KEYS.md, rollover). */
    private void serveGeneration(Context ctx) {
        Matcher m = GENERATION_FILE.matcher(ctx.pathParam("file"));
        Publication.Current crl = m.matches() ? generations.crl(Integer.parseInt(m.group(1))) : null;
        if (crl == null) {
            ctx.status(404).json(Map.of("status", "error", "message", "no such CA generation; live: "
                    + generations.generations()));
            return;
        }
        serveCrl(ctx, m.group(2).equals("der"), crl);
    }

    /** {@code /crls.pem}: every live generation's CRL, for relying parties that follow a rollover. */
    private void serveBundle(Context ctx) {
        byte[] bundle = generations.bundle();
        if (bundle == null) {
            ctx.status(503).json(Map.of("status", "error", "message", "no CRL published yet"));
            return;
        }
        String etag = "\"bundle-" + CertificateFacts.sha256Fingerprint(bundle) + "\"";
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", etag);
        Publication.Current current = publication.current();
        if (current != null) {
            holders.took(CrlHolders.name(ctx.header(HOLDER)), ctx.ip(), current.snapshot().number());
        }
        String inm = ctx.header("If-None-Match");
        if (inm != null && inm.strip().equals(etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/x-pem-file");
        ctx.result(bundle);
    }

    private void serveCrl(Context ctx, boolean der, Publication.Current current) {
        if (current == null) {
            ctx.status(503).json(Map.of("status", "error", "message", "no CRL published yet"));
            return;
        }
        Instant thisUpdate = current.snapshot().thisUpdate();
        Instant nextUpdate = current.snapshot().nextUpdate();
        String etag = der ? current.etag() : "\"pem-" + current.etag().substring(1);
        long seconds = Math.max(0, Math.min(maxAge.toSeconds(), Duration.between(clock.instant(), nextUpdate).toSeconds()));
        // Caches may keep it, but never past nextUpdate, and only briefly: a new CRL must reach them fast.
        ctx.header("Cache-Control", "public, max-age=" + seconds);
        ctx.header("ETag", etag);
        ctx.header("Last-Modified", http(thisUpdate));
        ctx.header("Expires", http(nextUpdate));
        // A conditional GET answered 304 confirms the holder still has this CRL, as a 200 gives it.
        holders.took(CrlHolders.name(ctx.header(HOLDER)), ctx.ip(), current.snapshot().number());
        if (notModified(ctx, etag, thisUpdate)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(der ? "application/pkix-crl" : "application/x-pem-file");
        ctx.result(der ? current.der() : current.pem());
    }

    /** RFC 9110 section 13.1: If-None-Match wins over If-Modified-Since. */
    private static boolean notModified(Context ctx, String etag, Instant lastModified) {
        String inm = ctx.header("If-None-Match");
        if (inm != null) {
            for (String tag : inm.split(",")) {
                String t = tag.strip();
                if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        String ims = ctx.header("If-Modified-Since");
        if (ims != null) {
            try {
                Instant since = ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return !lastModified.isAfter(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    private void refresh(Context ctx) throws InterruptedException {
        try {
            Publication.Current current = refresher.generateNow().get(refreshWait.toMillis(), TimeUnit.MILLISECONDS);
            ctx.json(Map.of("status", "ok", "number", current == null ? "" : current.snapshot().number().toString()));
        } catch (ExecutionException e) {
            ctx.status(503).json(Map.of("status", "error", "message", "the CA did not produce a CRL: "
                    + e.getCause().getMessage()));
        } catch (TimeoutException e) {
            Publication.Current current = publication.current();
            ctx.status(503).json(Map.of("status", "error", "message", "the CA did not answer within "
                    + refreshWait.toSeconds() + " s; still serving CRL "
                    + (current == null ? "none" : current.snapshot().number().toString())));
        }
    }

    /**
     * {@code POST /status/took?crl=N}: a holder says it applied pushed delta CRL N (it fetches no complete
     * CRL for it, so no fetch would tell). Informational, like the holder header: it grants nothing.
     */
    private void tookDelta(Context ctx) {
        String crl = ctx.queryParam("crl");
        BigInteger pushed = publication.lastDeltaNumber();
        BigInteger number;
        try {
            number = crl == null || crl.length() > 40 ? null : new BigInteger(crl);
        } catch (NumberFormatException e) {
            number = null;
        }
        if (number == null || pushed == null || number.signum() <= 0 || number.compareTo(pushed) > 0) {
            ctx.status(400).json(Map.of("status", "error", "message", "crl: the number of a delta CRL this publisher pushed"));
            return;
        }
        holders.took(CrlHolders.name(ctx.header(HOLDER)), ctx.ip(), number);
        ctx.status(204);
    }

    /**
     * Which CRL each holder took and when (ra-core's console). Loopback callers only: holder names and
     * addresses describe the deployment, and the publisher has no client authentication of its own.
     */
    private void holders(Context ctx) {
        if (!loopback(ctx.req().getRemoteAddr())) {
            ctx.status(403).json(Map.of("status", "error", "reason", "not_loopback",
                    "message", "holder status is served to loopback callers only"));
            return;
        }
        Publication.Current current = publication.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("crl_number", current == null ? null : current.snapshot().number().toString());
        body.put("subscribers", hub.size());
        body.put("holders", holders.snapshot());
        ctx.json(body);
    }

    /** The servlet's remote address is always an IP literal, so no name is ever looked up here. */
    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void ready(Context ctx) {
        Publication.Current current = publication.current();
        Readiness r = PublisherReadiness.of(publication, clock);
        Map<String, Object> body = r.body();
        body.put("crl_number", current == null ? "" : current.snapshot().number().toString());
        ctx.status(r.status()).json(body);
    }

    private static String http(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
    }
}
