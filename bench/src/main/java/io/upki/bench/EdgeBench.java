package io.upki.bench;

import io.upki.pki.process.ProcessRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Steps of the edge benchmarks, {@code sidecar-bench.sh} and {@code revocation-bench.sh}: certificates
 * from a running CA, large CRLs, an open-loop HTTP load generator, the revocation-to-refusal driver and
 * the reports. Run as {@code java -cp bench/target/bench.jar io.upki.bench.EdgeBench <step>}.
 */
@Command(name = "edge-bench", mixinStandardHelpOptions = true, version = "upki bench 0.1.0",
        description = "Steps of sidecar-bench.sh and revocation-bench.sh (see bench/README.md).",
        subcommands = {EdgeBench.Ports.class, EdgeBench.Issue.class, EdgeBench.CrlFetch.class, EdgeBench.CrlLoad.class,
                EdgeBench.CrlSwap.class, EdgeBench.Open.class, EdgeBench.Revocation.class, EdgeBench.Publisher.class,
                EdgeBench.Costs.class, EdgeBench.Jfr.class, EdgeBench.Report.class})
public final class EdgeBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** {@code ports}: P such that P .. P+count-1 are all free on loopback. */
    @Command(name = "ports", mixinStandardHelpOptions = true, description = "Print P where P .. P+count-1 are free on loopback.")
    static final class Ports implements Callable<Integer> {
        @Option(names = "--count", defaultValue = "3", description = "Consecutive ports (default ${DEFAULT-VALUE}).")
        int count;

        @Override
        public Integer call() throws IOException {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int attempt = 0; attempt < 200; attempt++) {
                int port;
                try (ServerSocket first = new ServerSocket(0, 1, loopback)) {
                    port = first.getLocalPort();
                }
                if (port + count > 65535) {
                    continue;
                }
                List<ServerSocket> held = new ArrayList<>();
                try {
                    for (int i = 0; i < count; i++) {
                        held.add(new ServerSocket(port + i, 1, loopback));
                    }
                    System.out.println(port);
                    return 0;
                } catch (IOException taken) {
                    // another range
                } finally {
                    for (ServerSocket s : held) {
                        s.close();
                    }
                }
            }
            throw new IOException("no " + count + " consecutive free ports found");
        }
    }

    /** {@code issue}: certificates from the running CA, written in the forms the load tools need. */
    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Sign N EC P-256 CSRs under a profile on a running CA; write the certificates.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--endpoint", required = true, description = "CA operations endpoint.")
        String endpoint;

        @Option(names = "--profile", defaultValue = "admin", description = "CA profile (default ${DEFAULT-VALUE}).")
        String profile;

        @Option(names = "--prefix", defaultValue = "bench-admin-", description = "CN prefix; CNs are prefix + index.")
        String prefix;

        @Option(names = "--count", defaultValue = "1")
        int count;

        @Option(names = "--threads", defaultValue = "2", description = "Concurrent sign calls (default ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--out-b64", required = true, description = "One base64 DER per line (Traefik's header value).")
        Path outB64;

        @Option(names = "--out-pem", description = "PEM of the first certificate.")
        Path outPem;

        @Option(names = "--out-nginx", description = "The first certificate as nginx's $ssl_client_escaped_cert.")
        Path outNginx;

        @Option(names = "--out-key", description = "PEM private key of the first certificate (written 0600), for a TLS client.")
        Path outKey;

        @Override
        public Integer call() throws Exception {
            long t = System.nanoTime();
            List<Issuer.Issued> issued = Issuer.issue(endpoint, profile, prefix, 0, count, threads);
            double s = (System.nanoTime() - t) / 1e9;
            List<String> lines = new ArrayList<>(issued.size());
            issued.forEach(i -> lines.add(i.base64()));
            Files.write(outB64, lines);
            if (outPem != null) {
                Files.writeString(outPem, issued.get(0).pem());
            }
            if (outNginx != null) {
                Files.writeString(outNginx, issued.get(0).nginxEscaped());
            }
            if (outKey != null) {
                io.upki.pki.files.AtomicFiles.writeSecret(outKey, io.upki.pki.x509.Pem.encodePrivateKey(issued.get(0).key(), null)
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            System.err.printf("issue: %d certificates (profile %s) in %.1f s, %.0f/s%n", count, profile, s, count / s);
            ObjectNode line = JSON.createObjectNode();
            line.put("label", "issue-" + profile);
            line.put("kind", "issue");
            line.put("count", count);
            line.put("seconds", Stats.round(s, 2));
            line.put("per_second", Stats.round(count / s, 1));
            System.out.println(line);
            return 0;
        }
    }

    /** {@code crl-fetch}: a fresh CRL from the CA (generate_crl), read without the 4 MiB codec bound. */
    @Command(name = "crl-fetch", mixinStandardHelpOptions = true, description = "generate_crl on the CA, written as DER.")
    static final class CrlFetch implements Callable<Integer> {
        @Option(names = "--endpoint", required = true)
        String endpoint;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws IOException {
            try (RawCaExchange ca = RawCaExchange.connect(endpoint, 5, Duration.ofSeconds(2))) {
                BenchCrl.writeAtomically(out, ca.crl("generate_crl", Duration.ofSeconds(60)));
            }
            return 0;
        }
    }

    /** {@code crl-load}: CrlAcceptor.accept timings and lookup costs for CRLs of several sizes. */
    @Command(name = "crl-load", mixinStandardHelpOptions = true,
            description = "Time CrlAcceptor.accept and revocation lookups for CRLs of the given sizes.")
    static final class CrlLoad implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "CA data directory (its key signs the CRLs).")
        Path dataDir;

        @Option(names = "--leaf", required = true, description = "PEM of a certificate issued by that CA (not revoked).")
        Path leaf;

        @Option(names = "--sizes", split = ",", defaultValue = "1000,100000,1000000")
        List<Integer> sizes;

        @Option(names = "--runs", defaultValue = "3", description = "Timed accept runs after one warm-up.")
        int runs;

        @Option(names = "--lookups", defaultValue = "20000000", description = "Iterations of each lookup loop.")
        long lookups;

        @Override
        public Integer call() throws Exception {
            CertificateAuthority ca = BenchCrl.loadCa(dataDir);
            CrlLoadBench.run(ca, Pem.parseCertificate(Files.readString(leaf)), sizes, runs, lookups, System.out);
            return 0;
        }
    }

    /**
     * {@code crl-swap}: replaces a sidecar's CRL file with a large one that revokes a probe certificate
     * and times until the probe is refused.
     */
    @Command(name = "crl-swap", mixinStandardHelpOptions = true,
            description = "Write an N-entry CRL over a sidecar's CRL file; time until a listed certificate gets 403.")
    static final class CrlSwap implements Callable<Integer> {
        @Option(names = "--data-dir", required = true)
        Path dataDir;

        @Option(names = "--crl-file", required = true, description = "The file the sidecar reads (--crl).")
        Path crlFile;

        @Option(names = "--entries", defaultValue = "1000000")
        int entries;

        @Option(names = "--number", defaultValue = "1000000", description = "CRL Number (above the CA's).")
        long number;

        @Option(names = "--probe-pem", required = true, description = "Certificate to list in the CRL.")
        Path probePem;

        @Option(names = "--sidecar", required = true, description = "host:port of the sidecar.")
        String sidecar;

        @Option(names = "--label", defaultValue = "crl-swap")
        String label;

        @Override
        public Integer call() throws Exception {
            CertificateAuthority ca = BenchCrl.loadCa(dataDir);
            var probe = Pem.parseCertificate(Files.readString(probePem));
            long t = System.nanoTime();
            byte[] der = BenchCrl.build(ca, BigInteger.valueOf(number), entries, List.of(probe.getSerialNumber()), 42);
            double build = (System.nanoTime() - t) / 1e9;
            String b64 = java.util.Base64.getEncoder().encodeToString(probe.getEncoded());
            int colon = sidecar.lastIndexOf(':');
            String host = sidecar.substring(0, colon);
            int port = Integer.parseInt(sidecar.substring(colon + 1));
            byte[] request = RawHttp.get(host, port, "/auth/traefik", Map.of("X-Forwarded-Tls-Client-Cert", b64,
                    "X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/api/v1/health"));
            ObjectNode line = JSON.createObjectNode();
            line.put("label", label);
            line.put("kind", "crl-swap");
            line.put("entries", entries);
            line.put("der_bytes", der.length);
            line.put("build_s", Stats.round(build, 2));
            try (RawHttp http = new RawHttp(host, port)) {
                int before = http.exchange(request).status();
                line.put("probe_status_before", before);
                // The sidecar's file watcher (a stat every second) notices the new file: no POST /crl/refresh,
                // which would make a second full parse race the first one.
                BenchCrl.writeAtomically(crlFile, der);
                long t0 = System.nanoTime();
                line.put("written_at_epoch_ms", System.currentTimeMillis());
                long refused = -1;
                String reason = "";
                while (System.nanoTime() - t0 < 60_000_000_000L) {
                    RawHttp.Response r = http.exchange(request);
                    if (r.status() == 403) {
                        refused = System.nanoTime() - t0;
                        reason = RevocationDriver.reasonOf(r);
                        break;
                    }
                    Thread.sleep(2);
                }
                line.put("write_to_refusal_s", Stats.round(refused / 1e9, 3));
                line.put("refusal_reason", reason);
            }
            System.err.printf("crl-swap: %,d entries (%,d bytes): refused %s s after the write (%s)%n",
                    entries, der.length, line.get("write_to_refusal_s"), line.get("refusal_reason").asText());
            System.out.println(line);
            return 0;
        }
    }

    /** {@code openloop}: fixed-rate HTTP load with latency from the intended send time. */
    @Command(name = "openloop", mixinStandardHelpOptions = true,
            description = "Open-loop GET load at a fixed rate; latency from each request's due time (one JSON line).")
    static final class Open implements Callable<Integer> {
        @Option(names = "--url", required = true, description = "http://host:port/path")
        String url;

        @Option(names = "--header", description = "Name: value (repeatable).")
        List<String> headers = new ArrayList<>();

        @Option(names = "--cert-file", description = "First line is sent as X-Forwarded-Tls-Client-Cert.")
        Path certFile;

        @Option(names = "--rate", required = true, description = "Requests per second.")
        double rate;

        @Option(names = "--seconds", defaultValue = "30")
        double seconds;

        @Option(names = "--warmup-seconds", defaultValue = "5")
        double warmupSeconds;

        @Option(names = "--connections", defaultValue = "16")
        int connections;

        @Option(names = "--label", defaultValue = "openloop")
        String label;

        @Option(names = "--server-pid", defaultValue = "0")
        long serverPid;

        @Option(names = "--clk-tck", defaultValue = "100")
        int clockTicks;

        @Override
        public Integer call() throws Exception {
            URI uri = URI.create(url);
            Map<String, String> h = new LinkedHashMap<>();
            for (String header : headers) {
                int colon = header.indexOf(':');
                h.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            }
            if (certFile != null) {
                h.put("X-Forwarded-Tls-Client-Cert", Files.readAllLines(certFile).get(0).trim());
            }
            ObjectNode out = OpenLoop.run(new OpenLoop.Plan(uri.getHost(), uri.getPort(), uri.getRawPath(), h, rate,
                    seconds, warmupSeconds, connections, label, serverPid, clockTicks));
            System.err.printf("openloop %s: %.0f/s target, %s/s achieved, p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms,"
                    + " non-2xx %s%n", label, rate, out.get("achieved_rate"), out.get("p50_ms"), out.get("p99_ms"),
                    out.get("p999_ms"), out.get("max_ms"), out.get("not_ok"));
            System.out.println(out);
            return 0;
        }
    }

    /** {@code revocation}: revocation-to-refusal latency over real processes. */
    @Command(name = "revocation", mixinStandardHelpOptions = true,
            description = "Issue N admin certificates, revoke each, time until every sidecar refuses it.")
    static final class Revocation implements Callable<Integer> {
        @Option(names = "--endpoint", required = true, description = "CA operations endpoint.")
        String endpoint;

        @Option(names = "--sidecar", required = true, split = ",", description = "host:port of each sidecar.")
        List<String> sidecars;

        @Option(names = "--count", defaultValue = "120")
        int count;

        @Option(names = "--prefix", defaultValue = "rev-")
        String prefix;

        @Option(names = "--events", description = "The publisher's SSE URL, to time each CRL's publication too.")
        String events;

        @Option(names = "--crl-url", description = "The publisher's CRL URL, to report the CRL's size.")
        String crlUrl;

        @Option(names = "--poll-ms", defaultValue = "2")
        int pollMs;

        @Option(names = "--pause-ms", defaultValue = "150", description = "Pause between revocations (plus up to as much at random).")
        int pauseMs;

        @Option(names = "--label", defaultValue = "revocation")
        String label;

        @Option(names = "--warmup", defaultValue = "0", description = "Untimed revocations before the timed ones.")
        int warmup;

        @Option(names = "--raw-out", description = "TSV with every revocation's figures.")
        Path rawOut;

        @Option(names = "--probe", defaultValue = "admin",
                description = "admin (allowed until revoked) or client (user-profile certificates on the admin route: "
                        + "403 not_admin until revoked, no assertion signed per poll). Default ${DEFAULT-VALUE}.")
        String probe;

        @Override
        public Integer call() throws Exception {
            ObjectNode out = RevocationDriver.run(new RevocationDriver.Plan(endpoint, sidecars, count, prefix, events, crlUrl,
                    pollMs, pauseMs, label, rawOut, probe, warmup));
            System.err.printf("revocation %s: all sidecars p50 %s ms, p95 %s ms, p99 %s ms, max %s ms (%s problems)%n",
                    label, out.get("all_p50_ms"), out.get("all_p95_ms"), out.get("all_p99_ms"), out.get("all_max_ms"),
                    out.get("problems"));
            System.out.println(out);
            return 0;
        }
    }

    /** {@code publisher}: the bench stand-in for crl-publisher (CRLs above the codec's 4 MiB bound). */
    @Command(name = "publisher", mixinStandardHelpOptions = true,
            description = "Serve the CA's CRL like crl-publisher, reading CA replies without the 4 MiB bound.")
    static final class Publisher implements Callable<Integer> {
        @Option(names = "--ca", required = true)
        String ca;

        @Option(names = "--events", required = true, description = "CA event feed, tcp://host:port+2.")
        String events;

        @Option(names = "--ca-cert", required = true)
        Path caCert;

        @Option(names = "--out", required = true)
        Path out;

        @Option(names = "--port", required = true)
        int port;

        @Override
        public Integer call() throws Exception {
            var cert = Pem.parseCertificate(Files.readString(caCert, StandardCharsets.US_ASCII));
            BenchPublisher publisher = new BenchPublisher(ca, events, cert, out, port, Duration.ofMillis(20),
                    Duration.ofMillis(200));
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                publisher.close();
                stop.countDown();
            }));
            publisher.start();
            System.out.println("bench publisher ready on http://127.0.0.1:" + port);
            stop.await();
            return 0;
        }
    }

    /** {@code costs}: per-operation CPU cost of the sidecar's steps, on one thread of this JVM. */
    @Command(name = "costs", mixinStandardHelpOptions = true,
            description = "Time the sidecar's per-request operations one by one (assertion, decode, verification).")
    static final class Costs implements Callable<Integer> {
        @Option(names = "--state-dir", required = true, description = "A sidecar's state folder (sidecar.key, sidecar.crt).")
        Path stateDir;

        @Option(names = "--ca-cert", required = true)
        Path caCert;

        @Option(names = "--certs", required = true, description = "Base64 DER certificates, one a line (the first is the warm one).")
        Path certs;

        @Option(names = "--seconds", defaultValue = "2", description = "Measured time per operation (plus half as warm-up).")
        double seconds;

        @Override
        public Integer call() throws Exception {
            System.out.println(SidecarCosts.run(stateDir, caCert, certs, seconds));
            return 0;
        }
    }

    /** {@code jfr-top}: where the sidecar's CPU samples went in a JFR recording. */
    @Command(name = "jfr-top", mixinStandardHelpOptions = true, description = "Summarise a JFR recording (one JSON line).")
    static final class Jfr implements Callable<Integer> {
        @Option(names = "--jfr", required = true)
        Path recording;

        @Option(names = "--label", defaultValue = "jfr")
        String label;

        @Option(names = "--top", defaultValue = "12")
        int top;

        @Override
        public Integer call() throws Exception {
            System.out.println(JfrTop.summarise(recording, label, top));
            return 0;
        }
    }

    /** {@code report}: the Markdown report of one run from its JSON lines. */
    @Command(name = "report", mixinStandardHelpOptions = true, description = "Markdown report of a run's JSON lines.")
    static final class Report implements Callable<Integer> {
        @Option(names = "--kind", required = true, description = "sidecar or revocation")
        String kind;

        @Option(names = "--results", required = true)
        Path results;

        @Option(names = "--out")
        Path out;

        @Override
        public Integer call() throws IOException {
            String md = EdgeReport.render(kind, results);
            System.out.print(md);
            if (out != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, md);
            }
            return 0;
        }
    }

    public static void main(String[] args) {
        // Same entry point as the upki processes, so the driver signs with the same (native) provider.
        ProcessRunner.main("edge-bench", new EdgeBench(), args);
    }
}
