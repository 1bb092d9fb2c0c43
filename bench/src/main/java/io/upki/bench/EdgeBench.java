package io.upki.bench;

import io.upki.pki.process.ProcessRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
        subcommands = {EdgeBench.Ports.class, EdgeBench.Issue.class, EdgeCrlSteps.CrlFetch.class,
                EdgeCrlSteps.CrlLoad.class, EdgeCrlSteps.CrlSwap.class, EdgeBench.Open.class, EdgeBench.Revocation.class,
                EdgeCrlSteps.Publisher.class, EdgeBench.Costs.class, EdgeBench.Jfr.class, EdgeBench.Report.class})
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
            System.out.println(LoopbackPorts.freeRun(count));
            return 0;
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
                AtomicFiles.writeSecret(outKey, Pem.encodePrivateKey(issued.get(0).key(), null).getBytes(StandardCharsets.US_ASCII));
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

        @CommandLine.Mixin
        ServerCpuOptions server;

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
                    seconds, warmupSeconds, connections, label, server.cpu()));
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
    static final class Report extends MarkdownReportCommand {
        @Option(names = "--kind", required = true, description = "sidecar or revocation")
        String kind;

        @Override
        String render(Path results) throws IOException {
            return EdgeReport.render(kind, results);
        }
    }

    public static void main(String[] args) {
        // Same entry point as the upki processes, so the driver signs with the same (native) provider.
        ProcessRunner.main("edge-bench", new EdgeBench(), args);
    }
}
