package io.upki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP load generator: request {@code i} is due at {@code start + i / rate} whatever the
 * server is doing, and its latency runs from that due time to the end of its response, so a stalled
 * server is charged for every request it delayed (no coordinated omission, unlike wrk's own figures).
 *
 * <p>Requests go round-robin over C keep-alive connections and are pipelined: a send never waits for
 * an earlier answer. One reader thread per connection matches responses to due times in order.
 */
final class OpenLoop {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Plan(String host, int port, String path, Map<String, String> headers, double rate, double seconds,
                double warmupSeconds, int connections, String label, ProcessCpu cpu) {
    }

    private static final class Conn {
        final RawHttp http;
        final ConcurrentLinkedQueue<Long> due = new ConcurrentLinkedQueue<>();
        Thread reader;

        Conn(RawHttp http) {
            this.http = http;
        }
    }

    private OpenLoop() {
    }

    static ObjectNode run(Plan plan) throws IOException, InterruptedException {
        byte[] request = RawHttp.get(plan.host(), plan.port(), plan.path(), plan.headers());
        long period = Math.round(1e9 / plan.rate());
        long warmupCount = Math.round(plan.warmupSeconds() * plan.rate());
        long measuredCount = Math.round(plan.seconds() * plan.rate());
        long[] latencies = new long[(int) measuredCount + 16];
        AtomicInteger recorded = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong notOk = new AtomicLong();
        AtomicLong responses = new AtomicLong();
        AtomicLong ioErrors = new AtomicLong();
        List<Conn> conns = new ArrayList<>();
        for (int c = 0; c < plan.connections(); c++) {
            conns.add(new Conn(new RawHttp(plan.host(), plan.port())));
        }
        long start = System.nanoTime() + 100_000_000L;
        long measureFrom = start + warmupCount * period;
        for (Conn conn : conns) {
            conn.reader = new Thread(() -> {
                try {
                    while (true) {
                        RawHttp.Response r = conn.http.read();
                        long now = System.nanoTime();
                        Long due = conn.due.poll();
                        responses.incrementAndGet();
                        if (due == null || due < measureFrom) {
                            continue;
                        }
                        if (r.status() / 100 == 2) {
                            ok.incrementAndGet();
                        } else {
                            notOk.incrementAndGet();
                        }
                        int k = recorded.getAndIncrement();
                        if (k < latencies.length) {
                            latencies[k] = now - due;
                        }
                    }
                } catch (IOException e) {
                    // closed at the end, or by the server
                    if (!conn.due.isEmpty()) {
                        ioErrors.incrementAndGet();
                    }
                }
            }, "openloop-reader");
            conn.reader.setDaemon(true);
            conn.reader.start();
        }

        ProcessCpu cpu = plan.cpu();
        ProcessCpu.Sample before = null;
        long maxLag = 0;
        long lateSends = 0;
        long total = warmupCount + measuredCount;
        for (long i = 0; i < total; i++) {
            long due = start + i * period;
            if (i == warmupCount) {
                before = cpu.sample();
            }
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long lag = System.nanoTime() - due;
            maxLag = Math.max(maxLag, lag);
            if (lag > 1_000_000L) {
                lateSends++;
            }
            Conn conn = conns.get((int) (i % conns.size()));
            conn.due.add(due);
            conn.http.send(request);
        }
        ProcessCpu.Sample after = cpu.sample();
        long sendEnd = System.nanoTime();
        // Let the last answers arrive (at most 5 s), then close.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (responses.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long missing = total - responses.get();
        for (Conn conn : conns) {
            conn.http.close();
        }
        for (Conn conn : conns) {
            conn.reader.join(1000);
        }

        int n = Math.min(recorded.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        double measuredWall = (sendEnd - measureFrom) / 1e9;
        ObjectNode out = JSON.createObjectNode();
        out.put("label", plan.label());
        out.put("kind", "openloop");
        out.put("target_rate", plan.rate());
        out.put("connections", plan.connections());
        out.put("seconds", plan.seconds());
        out.put("sent", measuredCount);
        out.put("answered", n);
        out.put("achieved_rate", Stats.round(n / measuredWall, 1));
        out.put("ok", ok.get());
        out.put("not_ok", notOk.get());
        out.put("missing", missing);
        out.put("io_errors", ioErrors.get());
        out.put("p50_ms", ms(Stats.nearestRank(sorted, 0.50)));
        out.put("p90_ms", ms(Stats.nearestRank(sorted, 0.90)));
        out.put("p99_ms", ms(Stats.nearestRank(sorted, 0.99)));
        out.put("p999_ms", ms(Stats.nearestRank(sorted, 99.9 / 100.0)));
        out.put("max_ms", ms(n == 0 ? 0 : sorted[n - 1]));
        out.put("mean_ms", ms(n == 0 ? 0 : (long) Arrays.stream(sorted).average().orElse(0)));
        out.put("sender_max_lag_ms", ms(maxLag));
        out.put("sender_late_over_1ms", lateSends);
        if (before != null) {
            out.put("server_cores", Stats.round(after.serverCoresSince(before), 2));
            out.put("driver_cores", Stats.round(after.clientCoresSince(before), 2));
            out.put("other_cores", Stats.round(after.otherCoresSince(before), 2));
        }
        return out;
    }


    static double ms(long nanos) {
        return Stats.round(nanos / 1e6, 3);
    }

}
