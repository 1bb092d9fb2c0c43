package io.upki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlRejectedException;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.CertificateFacts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A stand-in for the crl-publisher, for CRLs the real one cannot fetch: its {@code ZmqCaClient} parses
 * the CA's reply with pki-common's {@code WireCodec}, which refuses JSON strings above 4 MiB, i.e. CRLs
 * above roughly 62,000 entries (4 MiB of base64 is 3 MB of DER,
 * about 50 bytes per entry). This one does what the publisher does on a revocation (same debounce,
 * {@code generate_crl}, the same acceptance checks, {@code crl.der} written with fsync and rename, an SSE
 * {@code crl} event to every sidecar, conditional GET on {@code /crl.der}) but reads the reply with
 * {@link RawCaExchange}. Sidecars are unchanged.
 */
final class BenchPublisher implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String caEndpoint;
    private final String eventsEndpoint;
    private final CrlAcceptor acceptor;
    private final Path outDir;
    private final Duration debounce;
    private final Duration maxDelay;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-publisher");
        t.setDaemon(true);
        return t;
    });
    private final List<OutputStream> subscribers = new CopyOnWriteArrayList<>();
    private final ZContext zmq = new ZContext(1);
    private final HttpServer http;
    private RawCaExchange ca;
    private volatile CrlSnapshot current;
    private volatile String etag;
    private ScheduledFuture<?> pending;
    private long burstStart;
    /** One line per CRL published after a revocation: where its time went, in milliseconds. */
    private final List<String> timings = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    BenchPublisher(String caEndpoint, String eventsEndpoint, X509Certificate caCert, Path outDir, int port,
                   Duration debounce, Duration maxDelay) throws IOException {
        this.caEndpoint = caEndpoint;
        this.eventsEndpoint = eventsEndpoint;
        this.acceptor = new CrlAcceptor(List.of(caCert), Clock.systemUTC(), Duration.ZERO);
        this.outDir = outDir;
        this.debounce = debounce;
        this.maxDelay = maxDelay;
        Files.createDirectories(outDir);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        http.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-publisher-http");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/crl.der", this::serveCrl);
        http.createContext("/events", this::subscribe);
        http.createContext("/timings", ex -> reply(ex, 200,
                ("[" + String.join(",", timings) + "]").getBytes(StandardCharsets.US_ASCII)));
        http.createContext("/ready", ex -> reply(ex, current == null ? 503 : 200, "{}".getBytes(StandardCharsets.US_ASCII)));
    }

    void start() {
        scheduler.execute(() -> {
            ca = RawCaExchange.connect(caEndpoint, 5, Duration.ofSeconds(2));
            fetch("get_crl");
        });
        http.start();
        Thread events = new Thread(this::listen, "bench-publisher-events");
        events.setDaemon(true);
        events.start();
    }

    private void listen() {
        ZMQ.Socket sub = zmq.createSocket(SocketType.SUB);
        sub.setLinger(0);
        sub.setHandshakeIvl(1000); // jeromq#1022, see CaEventSubscriber
        sub.setReceiveTimeOut(500);
        sub.subscribe(new byte[0]);
        sub.connect(eventsEndpoint);
        while (running) {
            byte[] frame;
            try {
                frame = sub.recv();
            } catch (RuntimeException e) {
                return; // context closed
            }
            if (frame == null) {
                continue;
            }
            try {
                JsonNode event = JSON.readTree(frame);
                String kind = event.path("event").asText();
                if (kind.equals("revoked") || kind.equals("unrevoked")) {
                    revocation();
                }
            } catch (IOException e) {
                System.err.println("bench-publisher: malformed event ignored");
            }
        }
    }

    /** The crl-publisher's debounce: wait for quiet, at most {@code maxDelay} after a burst's first event. */
    private void revocation() {
        scheduler.execute(() -> {
            long now = System.nanoTime();
            if (pending == null) {
                burstStart = now;
                pending = scheduler.schedule(this::generate, debounce.toMillis(), TimeUnit.MILLISECONDS);
            } else if (now + debounce.toNanos() - burstStart <= maxDelay.toNanos() && pending.cancel(false)) {
                pending = scheduler.schedule(this::generate, debounce.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private void generate() {
        pending = null;
        fetch("generate_crl", burstStart);
    }

    private void fetch(String task) {
        fetch(task, 0);
    }

    /** @param eventAt nanoTime of the revocation event that caused this call, or 0 */
    private void fetch(String task, long eventAt) {
        try {
            long called = System.nanoTime();
            byte[] der = ca.crl(task, Duration.ofSeconds(30));
            long answered = System.nanoTime();
            CrlSnapshot previous = current;
            CrlSnapshot snapshot = acceptor.accept(der,
                    previous == null ? RevocationIndex.empty() : RevocationIndex.empty().with(previous));
            if (previous != null && previous.number().equals(snapshot.number())) {
                return;
            }
            long accepted = System.nanoTime();
            AtomicFiles.writePublic(outDir.resolve("crl.der"), der);
            long written = System.nanoTime();
            etag = "\"" + CertificateFacts.sha256Fingerprint(der) + "\"";
            current = snapshot;
            String event = "event: crl\ndata: {\"number\":" + snapshot.number() + "}\n\n";
            for (OutputStream s : subscribers) {
                push(s, event);
            }
            long pushed = System.nanoTime();
            if (eventAt > 0) {
                timings.add(String.format(java.util.Locale.ROOT, "{\"number\":%s,\"bytes\":%d,\"debounce_ms\":%.1f,"
                                + "\"generate_crl_call_ms\":%.1f,\"accept_ms\":%.1f,\"write_fsync_ms\":%.1f,\"push_ms\":%.1f}",
                        snapshot.number(), der.length, (called - eventAt) / 1e6, (answered - called) / 1e6,
                        (accepted - answered) / 1e6, (written - accepted) / 1e6, (pushed - written) / 1e6));
            }
        } catch (CrlRejectedException | IOException | RuntimeException e) {
            System.err.println("bench-publisher: " + task + " failed: " + e.getMessage());
        }
    }

    private void push(OutputStream s, String event) {
        try {
            synchronized (s) {
                s.write(event.getBytes(StandardCharsets.UTF_8));
                s.flush();
            }
        } catch (IOException e) {
            subscribers.remove(s);
        }
    }

    private void serveCrl(HttpExchange ex) throws IOException {
        CrlSnapshot snapshot = current;
        if (snapshot == null) {
            reply(ex, 503, new byte[0]);
            return;
        }
        String tag = etag;
        ex.getResponseHeaders().set("ETag", tag);
        if (tag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            ex.sendResponseHeaders(304, -1);
            ex.close();
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/pkix-crl");
        reply(ex, 200, snapshot.der());
    }

    private void subscribe(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream body = ex.getResponseBody();
        subscribers.add(body);
        CrlSnapshot snapshot = current;
        if (snapshot != null) {
            push(body, "event: crl\ndata: {\"number\":" + snapshot.number() + "}\n\n");
        }
        // The exchange stays open: events are written by the scheduler thread.
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        running = false;
        http.stop(0);
        scheduler.shutdownNow();
        if (ca != null) {
            ca.close();
        }
        zmq.close();
    }
}
