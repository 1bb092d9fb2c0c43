package io.upki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.CertificatePage;
import io.upki.pki.wire.NodeQuery;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.wire.WireCodec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.cert.X509CRLHolder;

/**
 * Drives one CA task from C client threads, each with its own {@link ZmqCaClient}, and summarises
 * throughput and latency percentiles as one JSON line. Inputs (CSRs, serials) are made before timing.
 */
final class LoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONNECT_ATTEMPTS = 4;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * What to run: duration mode when {@code seconds > 0} (after {@code warmupSeconds} unmeasured),
     * otherwise exactly {@code calls} measured calls after {@code warmupCalls} unmeasured ones.
     */
    record Plan(String task, int clients, double seconds, int calls, double warmupSeconds, int warmupCalls,
                String profile, int csrs, String csrKey, Path serialsFile) {
        boolean durationMode() {
            return seconds > 0;
        }
    }

    /** One call of the task under test; {@code n} numbers the calls of the whole run from 0. */
    @FunctionalInterface
    private interface Call {
        byte[] invoke(CaClient client, int n);
    }

    private final String endpoint;
    private final ProcessCpu cpu;
    private final List<RawCaExchange> rawExchanges = new ArrayList<>();

    private final io.upki.pki.caclient.CaCurve curve;

    LoadDriver(String endpoint, ProcessCpu cpu) {
        this(endpoint, cpu, io.upki.pki.caclient.CaCurve.NONE);
    }

    /** @param curve CURVE settings of the clients (sign and get_ca), or {@code CaCurve.NONE} */
    LoadDriver(String endpoint, ProcessCpu cpu, io.upki.pki.caclient.CaCurve curve) {
        this.endpoint = endpoint;
        this.cpu = cpu;
        this.curve = curve;
    }

    /** The JSON line of one run and a one-line summary for people watching it. */
    record Outcome(String json, String summary) {
    }

    /** Runs the plan and returns its JSON line. */
    Outcome run(Plan plan, String label) throws IOException, InterruptedException {
        if (plan.clients() < 1) {
            throw new IllegalArgumentException("--clients must be at least 1");
        }
        if (!plan.durationMode() && plan.calls() < 1) {
            throw new IllegalArgumentException("give --seconds or --calls");
        }
        Call call = callFor(plan);
        List<CaClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < plan.clients(); i++) {
                clients.add(connect());
            }
            Result result = plan.durationMode() ? byDuration(plan, call, clients) : byCount(plan, call, clients);
            return new Outcome(toJson(label, plan, result), summary(label, plan, result));
        } finally {
            clients.forEach(CaClient::close);
            rawExchanges.forEach(RawCaExchange::close);
        }
    }

    /**
     * A client whose socket has completed one {@code get_ca}, so nothing timed pays for the connection.
     * JeroMQ occasionally loses the first request of a new REQ socket (about 1 in 300 here), so a
     * client that gets no answer is replaced, a few times at most.
     */
    private CaClient connect() {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            AtomicBoolean connected = new AtomicBoolean();
            CaClient client = curve.client(endpoint, task -> connected.get() ? task.defaultTimeout() : CONNECT_TIMEOUT,
                    0, new WireCodec());
            try {
                client.getCaPem();
                connected.set(true);
                return client;
            } catch (RuntimeException e) {
                client.close();
                last = e;
            }
        }
        throw last;
    }

    private Call callFor(Plan plan) throws IOException {
        switch (plan.task()) {
            case "sign" -> {
                List<String> csrs = Csrs.make(Math.max(1, plan.csrs()), plan.csrKey());
                return (client, n) -> {
                    String pem = client.sign(csrs.get(n % csrs.size()), plan.profile()).path("certificate").asText();
                    if (!pem.startsWith("-----BEGIN CERTIFICATE-----")) {
                        throw new IllegalStateException("sign returned no certificate");
                    }
                    return null;
                };
            }
            case "get_ca" -> {
                return (client, n) -> {
                    client.getCaPem();
                    return null;
                };
            }
            case "list_page" -> {
                // The admin console's certificate list: one page of 25 found by a text search, filtered and
                // paged in the CA's store (issue #21: first page < 200 ms with 100,000 stored).
                return (client, n) -> {
                    NodeQuery query = new NodeQuery("bench-" + (n % 10), null, null, null, null, 0, 25);
                    CertificatePage page = new TypedCaClient(client).nodes(query);
                    if (page.items().isEmpty()) {
                        throw new IllegalStateException("list_nodes found nothing for " + query.text());
                    }
                    return null;
                };
            }
            case "generate_crl" -> {
                // Timed through a raw socket: ZmqCaClient cannot read a CRL reply above 4 MiB of base64.
                ThreadLocal<RawCaExchange> raw = ThreadLocal.withInitial(() -> {
                    RawCaExchange exchange = RawCaExchange.connect(endpoint, CONNECT_ATTEMPTS, CONNECT_TIMEOUT);
                    synchronized (rawExchanges) {
                        rawExchanges.add(exchange);
                    }
                    return exchange;
                });
                return (client, n) -> raw.get().crl("generate_crl", CaTask.GENERATE_CRL.defaultTimeout());
            }
            case "revoke" -> {
                if (plan.durationMode() || plan.serialsFile() == null) {
                    throw new IllegalArgumentException("revoke needs --calls and --serials-file");
                }
                List<BigInteger> serials = new ArrayList<>();
                for (String line : Files.readAllLines(plan.serialsFile())) {
                    if (!line.isBlank()) {
                        serials.add(new BigInteger(line.strip()));
                    }
                }
                if (serials.size() < plan.calls() + plan.warmupCalls()) {
                    throw new IllegalArgumentException("revoke needs " + (plan.calls() + plan.warmupCalls())
                            + " distinct serials, " + plan.serialsFile() + " has " + serials.size());
                }
                return (client, n) -> {
                    client.revokeSerial(serials.get(n), "keyCompromise");
                    return null;
                };
            }
            default -> throw new IllegalArgumentException("unknown task " + plan.task()
                    + ": use sign, get_ca, list_page, revoke or generate_crl");
        }
    }

    /** What one run measured. */
    private record Result(int measured, double wallSeconds, long[] latencies, int errors, String firstError,
                          double serverCores, double clientCores, double otherCores, byte[] lastAnswer) {
    }

    /** Per-thread record of calls, merged after the run. */
    private static final class Tally {
        long[] latencies = new long[1024];
        int size;
        int completedInWindow;
        int errors;
        String firstError;

        void add(long nanos) {
            if (size == latencies.length) {
                latencies = java.util.Arrays.copyOf(latencies, size * 2);
            }
            latencies[size++] = nanos;
        }

        /** One call, its answer kept in {@code last}; false, with the error counted, when it failed. */
        boolean invoke(Call call, CaClient client, int n, AtomicReference<byte[]> last) {
            try {
                byte[] answer = call.invoke(client, n);
                if (answer != null) {
                    last.set(answer);
                }
                return true;
            } catch (RuntimeException e) {
                error(e);
                return false;
            }
        }

        void error(RuntimeException e) {
            errors++;
            if (firstError == null) {
                firstError = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }
    }

    private Result byDuration(Plan plan, Call call, List<CaClient> clients) throws InterruptedException {
        AtomicInteger sequence = new AtomicInteger();
        AtomicReference<byte[]> last = new AtomicReference<>();
        long start = System.nanoTime();
        long warmEnd = start + (long) (plan.warmupSeconds() * 1e9);
        long end = warmEnd + (long) (plan.seconds() * 1e9);
        List<Tally> tallies = new ArrayList<>();
        List<Thread> threads = clientThreads(clients, tallies, (client, tally) -> {
            while (true) {
                long t0 = System.nanoTime();
                if (t0 >= end) {
                    return;
                }
                if (!tally.invoke(call, client, sequence.getAndIncrement(), last)) {
                    continue;
                }
                long t1 = System.nanoTime();
                if (t1 >= warmEnd && t1 <= end) {
                    tally.completedInWindow++; // throughput: every call that completed in the window
                    if (t0 >= warmEnd) {
                        tally.add(t1 - t0); // latency: only calls wholly inside the window
                    }
                }
            }
        });
        threads.forEach(Thread::start);
        sleepUntil(warmEnd);
        ProcessCpu.Sample before = cpu.sample();
        sleepUntil(end);
        ProcessCpu.Sample after = cpu.sample();
        for (Thread t : threads) {
            t.join();
        }
        int completed = tallies.stream().mapToInt(t -> t.completedInWindow).sum();
        return merge(tallies, completed, plan.seconds(), before, after, last.get());
    }

    /** One thread per client, each with its own tally (added to {@code tallies}), running {@code body}; not started. */
    private static List<Thread> clientThreads(List<CaClient> clients, List<Tally> tallies,
                                              java.util.function.BiConsumer<CaClient, Tally> body) {
        List<Thread> threads = new ArrayList<>();
        for (CaClient client : clients) {
            Tally tally = new Tally();
            tallies.add(tally);
            threads.add(new Thread(() -> body.accept(client, tally), "bench-client-" + threads.size()));
        }
        return threads;
    }

    private Result byCount(Plan plan, Call call, List<CaClient> clients) throws InterruptedException {
        AtomicReference<byte[]> last = new AtomicReference<>();
        Tally warmup = new Tally();
        for (int i = 0; i < plan.warmupCalls(); i++) {
            warmup.invoke(call, clients.get(0), i, new AtomicReference<>());
        }
        AtomicInteger next = new AtomicInteger(plan.warmupCalls());
        int limit = plan.warmupCalls() + plan.calls();
        List<Tally> tallies = new ArrayList<>();
        List<Thread> threads = clientThreads(clients, tallies, (client, tally) -> {
            int n;
            while ((n = next.getAndIncrement()) < limit) {
                long t0 = System.nanoTime();
                if (tally.invoke(call, client, n, last)) {
                    tally.add(System.nanoTime() - t0);
                }
            }
        });
        ProcessCpu.Sample before = cpu.sample();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        ProcessCpu.Sample after = cpu.sample();
        int completed = tallies.stream().mapToInt(t -> t.size).sum();
        tallies.add(warmup); // its errors count; it recorded no latencies
        return merge(tallies, completed, (after.nanos() - before.nanos()) / 1e9, before, after, last.get());
    }

    private static Result merge(List<Tally> tallies, int completed, double wallSeconds, ProcessCpu.Sample before,
                                ProcessCpu.Sample after, byte[] lastAnswer) {
        int total = tallies.stream().mapToInt(t -> t.size).sum();
        long[] all = new long[total];
        int at = 0;
        int errors = 0;
        String firstError = null;
        for (Tally t : tallies) {
            System.arraycopy(t.latencies, 0, all, at, t.size);
            at += t.size;
            errors += t.errors;
            if (firstError == null) {
                firstError = t.firstError;
            }
        }
        java.util.Arrays.sort(all);
        return new Result(completed, wallSeconds, all, errors, firstError, after.serverCoresSince(before),
                after.clientCoresSince(before), after.otherCoresSince(before), lastAnswer);
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    /** Nearest-rank percentile of sorted nanosecond latencies, in milliseconds. */
    static double percentileMs(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : Stats.nearestRank(sorted, p) / 1e6;
    }

    private static String summary(String label, Plan plan, Result r) {
        return String.format(java.util.Locale.ROOT,
                "%-16s %-12s clients=%d calls=%d errors=%d %.1f/s p50=%.2f ms p99=%.2f ms cores: CA %.2f other %.2f%s",
                label, plan.task(), plan.clients(), r.measured(), r.errors(), r.measured() / r.wallSeconds(),
                percentileMs(r.latencies(), 0.5), percentileMs(r.latencies(), 0.99), r.serverCores(), r.otherCores(),
                r.firstError() == null ? "" : " first error: " + r.firstError());
    }

    private String toJson(String label, Plan plan, Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("label", label);
        o.put("task", plan.task());
        o.put("clients", plan.clients());
        o.put("mode", plan.durationMode() ? "duration" : "count");
        if (plan.task().equals("sign")) {
            o.put("csr_key", plan.csrKey());
        }
        o.put("seconds", round(r.wallSeconds(), 3));
        o.put("calls", r.measured());
        o.put("errors", r.errors());
        o.put("throughput_per_s", round(r.measured() / r.wallSeconds(), 2));
        long[] l = r.latencies();
        o.put("p50_ms", round(percentileMs(l, 0.50), 3));
        o.put("p95_ms", round(percentileMs(l, 0.95), 3));
        o.put("p99_ms", round(percentileMs(l, 0.99), 3));
        o.put("min_ms", round(l.length == 0 ? Double.NaN : l[0] / 1e6, 3));
        o.put("max_ms", round(l.length == 0 ? Double.NaN : l[l.length - 1] / 1e6, 3));
        o.put("mean_ms", round(java.util.Arrays.stream(l).average().orElse(Double.NaN) / 1e6, 3));
        o.put("server_cores", round(r.serverCores(), 2));
        o.put("client_cores", round(r.clientCores(), 2));
        o.put("other_cores", round(r.otherCores(), 2));
        if (r.lastAnswer() != null && plan.task().equals("generate_crl")) {
            o.put("crl_bytes", r.lastAnswer().length);
            try {
                o.put("crl_entries", new X509CRLHolder(r.lastAnswer()).getRevokedCertificates().size());
            } catch (IOException e) {
                o.put("crl_entries", -1);
            }
            o.put("zmq_ca_client_can_read", wireCodecReads());
        }
        if (r.firstError() != null) {
            o.put("first_error", r.firstError());
        }
        return o.toString();
    }

    /** Whether pki-common's codec, as used by ZmqCaClient, accepts the last raw reply. */
    private boolean wireCodecReads() {
        byte[] frame = rawExchanges.isEmpty() ? null : rawExchanges.get(rawExchanges.size() - 1).lastFrame();
        if (frame == null) {
            return false;
        }
        try {
            new WireCodec().decodeReply(frame);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A number rounded for the report; null (JSON null) when it could not be measured. */
    private static Double round(double v, int places) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        double scale = Math.pow(10, places);
        return Math.round(v * scale) / scale;
    }
}
