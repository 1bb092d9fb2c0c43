package io.upki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.caclient.ZmqCaClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.bouncycastle.cert.X509CRLHolder;

/**
 * Revocation-to-refusal latency through the real chain: {@code revoke} on the CA, its event, the
 * crl-publisher's {@code generate_crl} and push, each sidecar's fetch and acceptance. The clock starts
 * when the revoke reply arrives and stops, per sidecar, at the first 403 {@code revoked} for that
 * certificate; every sidecar is polled on its own keep-alive connection every {@code pollMs}.
 */
final class RevocationDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_NANOS = 30_000_000_000L;

    /**
     * @param probe {@code admin}: admin certificates, allowed (200, a signed assertion) until revoked;
     *     {@code client}: client certificates (profile user) on the same admin route, refused as
     *     {@code not_admin} until revoked, so polling costs the sidecars no signature
     */
    record Plan(String caEndpoint, List<String> sidecars, int count, String prefix, String eventsUrl, String crlUrl,
                int pollMs, int pauseMs, String label, Path rawOut, String probe, int warmup) {
        boolean admin() {
            return !"client".equals(probe);
        }
    }

    /** An SSE subscription to the publisher that timestamps each {@code crl} event, to split the latency. */
    private static final class CrlEvents implements AutoCloseable {
        record Seen(long nanos, String data) {
        }

        final List<Seen> seen = new CopyOnWriteArrayList<>();
        private volatile InputStream stream;
        private final Thread thread;

        CrlEvents(String url) {
            thread = new Thread(() -> {
                try {
                    HttpClient http = HttpClient.newHttpClient();
                    HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
                    stream = resp.body();
                    BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
                    String event = null;
                    String data = null;
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        if (line.startsWith("event:")) {
                            event = line.substring(6).strip();
                        } else if (line.startsWith("data:")) {
                            data = line.substring(5).strip();
                        } else if (line.isEmpty()) {
                            // The first announcement of a revocation: the delta CRL when the publisher pushes
                            // deltas (--crl-deltas on), else the complete CRL.
                            if ("crl".equals(event) || "delta".equals(event)) {
                                seen.add(new Seen(System.nanoTime(), data));
                            }
                            event = null;
                            data = null;
                        }
                    }
                } catch (IOException e) {
                    // closed at the end
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "crl-events");
            thread.setDaemon(true);
            thread.start();
        }

        /** The first event at or after {@code t0}, or null. */
        Seen firstAfter(long t0) {
            for (Seen s : seen) {
                if (s.nanos() >= t0) {
                    return s;
                }
            }
            return null;
        }

        @Override
        public void close() {
            InputStream s = stream;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            thread.interrupt();
        }
    }

    /** The poller of one sidecar: its own connection, one certificate at a time. */
    private static final class Poller implements AutoCloseable {
        final String host;
        final int port;
        private final SidecarAddress address;
        RawHttp http;

        Poller(String hostPort) throws IOException {
            address = SidecarAddress.parse(hostPort);
            host = address.host();
            port = address.port();
            http = new RawHttp(host, port);
            http.setTimeout(10_000);
        }

        byte[] request(String certBase64) {
            return address.authRequest(certBase64);
        }

        RawHttp.Response ask(byte[] request) throws IOException {
            try {
                return http.exchange(request);
            } catch (IOException e) {
                // One reconnect: Jetty may close an idle connection.
                http.close();
                http = new RawHttp(host, port);
                http.setTimeout(10_000);
                return http.exchange(request);
            }
        }

        /**
         * Polls every {@code pollNanos} from {@code t0} until a 403 {@code revoked} (or, for admin
         * certificates, any 403); nanoseconds from t0, -1 on timeout, -2 on an unexpected answer.
         */
        long untilRefused(byte[] request, long t0, long pollNanos, StringBuilder reason, boolean admin) throws IOException {
            for (long tick = 0; ; tick++) {
                RawHttp.Response r = ask(request);
                long now = System.nanoTime();
                boolean stillAllowed = admin ? r.status() == 200
                        : r.status() == 403 && "not_admin".equals(reasonOf(r));
                if (!stillAllowed && r.status() == 403) {
                    reason.append(reasonOf(r));
                    return now - t0;
                }
                if (!stillAllowed) {
                    reason.append("status ").append(r.status());
                    return -2;
                }
                if (now - t0 > TIMEOUT_NANOS) {
                    return -1;
                }
                long next = t0 + (tick + 1) * pollNanos;
                long wait;
                while ((wait = next - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }

        @Override
        public void close() {
            http.close();
        }
    }

    private RevocationDriver() {
    }

    static String reasonOf(RawHttp.Response r) {
        try {
            return JSON.readTree(r.body()).path("reason").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    static ObjectNode run(Plan plan) throws Exception {
        int n = plan.sidecars().size();
        waitReady(plan.sidecars());
        long t = System.nanoTime();
        String profile = plan.admin() ? "admin" : "user";
        List<Issuer.Issued> issued = Issuer.issue(plan.caEndpoint(), profile, plan.prefix(), 0,
                plan.count() + plan.warmup(), 2);
        List<Issuer.Issued> warmups = issued.subList(0, plan.warmup());
        List<Issuer.Issued> certs = issued.subList(plan.warmup(), issued.size());
        System.err.printf("revocation: issued %d %s certificates in %.1f s%n", certs.size(), profile,
                (System.nanoTime() - t) / 1e9);

        List<Poller> pollers = new ArrayList<>();
        for (String s : plan.sidecars()) {
            pollers.add(new Poller(s));
        }
        // Every certificate must be allowed by every sidecar before its revocation is timed.
        for (Issuer.Issued c : issued) {
            for (Poller p : pollers) {
                RawHttp.Response r = p.ask(p.request(c.base64()));
                boolean expected = plan.admin() ? r.status() == 200 : r.status() == 403 && "not_admin".equals(reasonOf(r));
                if (!expected) {
                    throw new IllegalStateException("sidecar " + p.host + ":" + p.port + " refused " + c.cn()
                            + " before its revocation: " + r.status() + " " + r.text());
                }
            }
        }
        long pollNanos = plan.pollMs() * 1_000_000L;
        long[][] perSidecar = new long[n][plan.count()];
        long[] all = new long[plan.count()];
        long[] published = new long[plan.count()];
        long[] revokeCall = new long[plan.count()];
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try (ZmqCaClient ca = Issuer.connectedClient(plan.caEndpoint());
             CrlEvents events = plan.eventsUrl() == null ? null : new CrlEvents(plan.eventsUrl());
             PrintWriter raw = plan.rawOut() == null ? null
                     : new PrintWriter(Files.newBufferedWriter(plan.rawOut(), StandardCharsets.UTF_8))) {
            if (raw != null) {
                raw.println("# k\tcn\tserial\trevoke_call_ms\tpublished_ms\tall_ms\t" + String.join("\t",
                        plan.sidecars().stream().map(s -> "sidecar_" + s + "_ms").toList()));
            }
            Thread.sleep(500); // let the SSE subscription settle
            // Untimed revocations first: the JIT compiles the publisher's and sidecars' CRL paths (with a
            // 100,000-entry CRL the first few take seconds in fresh JVMs), so the timed ones measure the path.
            for (Issuer.Issued c : warmups) {
                ca.revoke("/CN=" + c.cn(), "cessationOfOperation");
                long t0 = System.nanoTime();
                for (Poller p : pollers) {
                    p.untilRefused(p.request(c.base64()), t0, pollNanos, new StringBuilder(), plan.admin());
                }
                Thread.sleep(plan.pauseMs());
            }
            if (!warmups.isEmpty()) {
                System.err.printf("revocation: %d untimed warm-up revocations done%n", warmups.size());
            }
            for (int k = 0; k < plan.count(); k++) {
                Issuer.Issued c = certs.get(k);
                List<byte[]> requests = new ArrayList<>();
                for (Poller p : pollers) {
                    requests.add(p.request(c.base64()));
                }
                long before = System.nanoTime();
                ca.revoke("/CN=" + c.cn(), "cessationOfOperation");
                long t0 = System.nanoTime();
                revokeCall[k] = t0 - before;
                List<Future<Long>> futures = new ArrayList<>();
                StringBuilder[] reasons = new StringBuilder[n];
                for (int i = 0; i < n; i++) {
                    Poller p = pollers.get(i);
                    byte[] req = requests.get(i);
                    StringBuilder reason = reasons[i] = new StringBuilder();
                    futures.add(pool.submit(() -> p.untilRefused(req, t0, pollNanos, reason, plan.admin())));
                }
                long worst = 0;
                for (int i = 0; i < n; i++) {
                    long v = futures.get(i).get();
                    if (v < 0 || !reasons[i].toString().equals("revoked")) {
                        problems.add(c.cn() + " on " + plan.sidecars().get(i) + ": "
                                + (v == -1 ? "no refusal within 30 s" : reasons[i].toString()));
                    }
                    perSidecar[i][k] = v;
                    worst = v < 0 || worst < 0 ? -1 : Math.max(worst, v);
                }
                all[k] = worst;
                CrlEvents.Seen seen = events == null ? null : events.firstAfter(t0);
                published[k] = seen == null ? -1 : seen.nanos() - t0;
                if (raw != null) {
                    StringBuilder line = new StringBuilder().append(k).append('\t').append(c.cn()).append('\t')
                            .append(c.serial().toString(16)).append('\t').append(ms(revokeCall[k])).append('\t')
                            .append(ms(published[k])).append('\t').append(ms(all[k]));
                    for (int i = 0; i < n; i++) {
                        line.append('\t').append(ms(perSidecar[i][k]));
                    }
                    raw.println(line);
                }
                if ((k + 1) % 25 == 0) {
                    System.err.printf("revocation: %d/%d, last all-sidecars %.1f ms%n", k + 1, plan.count(), all[k] / 1e6);
                }
                Thread.sleep(plan.pauseMs() + ThreadLocalRandom.current().nextInt(Math.max(1, plan.pauseMs())));
            }
        } finally {
            pool.shutdownNow();
            pollers.forEach(Poller::close);
        }

        ObjectNode out = JSON.createObjectNode();
        out.put("label", plan.label());
        out.put("kind", "revocation");
        out.put("sidecars", n);
        out.put("revocations", plan.count());
        out.put("warmup_revocations", plan.warmup());
        out.put("poll_ms", plan.pollMs());
        out.put("probe", plan.admin() ? "admin" : "client");
        out.put("problems", problems.size());
        if (!problems.isEmpty()) {
            ArrayNode first = out.putArray("first_problems");
            problems.stream().limit(5).forEach(first::add);
        }
        stats(out, "all", all);
        stats(out, "publish", published);
        stats(out, "revoke_call", revokeCall);
        long[] afterPublish = new long[all.length];
        for (int k = 0; k < all.length; k++) {
            afterPublish[k] = all[k] < 0 || published[k] < 0 ? -1 : all[k] - published[k];
        }
        stats(out, "publish_to_all", afterPublish);
        ArrayNode per = out.putArray("per_sidecar");
        for (int i = 0; i < n; i++) {
            ObjectNode s = per.addObject();
            s.put("sidecar", plan.sidecars().get(i));
            stats(s, "", perSidecar[i]);
        }
        if (plan.crlUrl() != null) {
            crlFacts(out, plan.crlUrl());
        }
        return out;
    }

    private static void crlFacts(ObjectNode out, String url) {
        try {
            HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            X509CRLHolder crl = new X509CRLHolder(resp.body());
            out.put("crl_bytes", resp.body().length);
            out.put("crl_entries", crl.getRevokedCertificates().size());
        } catch (Exception e) {
            out.put("crl_error", String.valueOf(e.getMessage()));
        }
    }

    /** {@code <prefix>_p50_ms} ... over the values that are not negative (failures counted apart). */
    static void stats(ObjectNode out, String name, long[] nanos) {
        String p = name.isEmpty() ? "" : name + "_";
        long[] ok = Arrays.stream(nanos).filter(v -> v >= 0).sorted().toArray();
        out.put(p + "n", ok.length);
        out.put(p + "failed", nanos.length - ok.length);
        if (ok.length == 0) {
            return;
        }
        out.put(p + "p50_ms", OpenLoop.ms(Stats.nearestRank(ok, 0.50)));
        out.put(p + "p95_ms", OpenLoop.ms(Stats.nearestRank(ok, 0.95)));
        out.put(p + "p99_ms", OpenLoop.ms(Stats.nearestRank(ok, 0.99)));
        out.put(p + "max_ms", OpenLoop.ms(ok[ok.length - 1]));
        out.put(p + "min_ms", OpenLoop.ms(ok[0]));
        out.put(p + "mean_ms", OpenLoop.ms((long) Arrays.stream(ok).average().orElse(0)));
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "NA" : String.format("%.2f", nanos / 1e6);
    }

    /** Waits until every sidecar answers 200 on /ready (a current CRL), at most 120 s. */
    static void waitReady(List<String> sidecars) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + 120_000_000_000L;
        for (String s : sidecars) {
            while (true) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + s + "/ready"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sidecar " + s + " not ready within 120 s");
                }
                Thread.sleep(100);
            }
        }
    }
}
