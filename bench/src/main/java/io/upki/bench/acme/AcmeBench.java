package io.upki.bench.acme;

import io.upki.bench.Stats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issues N certificates one after the other through any ACME server with http-01 and reports the
 * latency of each (new order to downloaded chain) and certificates per second. The same client runs
 * against upki and Pebble: it follows every status by polling immediately (2 ms apart), never by
 * Retry-After, so neither server is helped or hurt by the client's pacing. Several servers are measured
 * by one client JVM in alternating rounds, so the client's own state and the machine's load weigh on all alike.
 */
@Command(name = "acme-bench", mixinStandardHelpOptions = true, version = "upki bench 0.1.0",
        description = "Sequential ACME issuance with http-01; prints one JSON line of results.")
public final class AcmeBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ECDSA through BouncyCastle: several times faster than SunEC on Java 17, so the client stays cheap. */
    static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    @Option(names = "--server", required = true, paramLabel = "LABEL=DIRECTORY,TRUST",
            description = "A server to measure: its name in the output, its ACME directory URL, and the PEM file of the CA"
                    + " that signed its TLS certificate. Repeat it to compare servers in alternating rounds.")
    List<String> servers;

    @CommandLine.Mixin
    Http01Options http01;

    @Option(names = "--orders", defaultValue = "100", description = "Measured orders per server and round.")
    int orders;

    @Option(names = "--warmup", defaultValue = "10", description = "Orders per server before measuring.")
    int warmup;

    @Option(names = "--settle", defaultValue = "0",
            description = "Untimed orders a server gets right before each of its rounds (the same for every server).")
    int settle;

    @Option(names = "--rounds", defaultValue = "1",
            description = "Rounds; each measures every server, in the given order in odd rounds and reversed in even ones.")
    int rounds;

    @Option(names = "--domain", defaultValue = "bench.example.internal", description = "Names are o<i>.<run>.<domain>.")
    String domain;

    /** One timed order: when it started (epoch ms), how long it took, and its requests. */
    private record Order(long at, double ms, List<String> steps) {
    }

    /** One server under test and the client's session with it. */
    private record Target(String label, AcmeSession session) {
    }

    @Override
    public Integer call() throws Exception {
        try (Http01Responder http = http01.start(64, 0)) {
            Map<String, String> answers = http.answers();
            List<Target> targets = new ArrayList<>();
            for (String spec : servers) {
                int eq = spec.indexOf('=');
                int comma = spec.lastIndexOf(',');
                if (eq <= 0 || comma < eq) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--server wants LABEL=DIRECTORY,TRUST: " + spec);
                }
                targets.add(new Target(spec.substring(0, eq),
                        AcmeSession.open(spec.substring(eq + 1, comma), Path.of(spec.substring(comma + 1)))));
            }
            String run = runTag();
            // Warm every server and this client's own code paths before anything is measured, one order
            // to each server in turn: warmed one after the other, upki sat idle through Pebble's whole
            // warm-up, its idle timeout closed the client's connection, and the first measured round
            // began with a new TLS handshake, then deoptimisations and recompilations of the TLS and
            // HTTP paths in ra-core (seen in JFR), at about twice the later rounds' latency.
            for (int i = 0; i < warmup; i++) {
                for (Target t : targets) {
                    issue(t.session(), answers, "w" + i + "." + t.label() + "." + run + "." + domain);
                }
            }
            for (int round = 1; round <= rounds; round++) {
                List<Target> order = new ArrayList<>(targets);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (Target t : order) {
                    System.out.println(measure(t, answers, round, "r" + round + "." + t.label() + "." + run + "." + domain));
                }
            }
            return 0;
        }
    }

    private ObjectNode measure(Target t, Map<String, String> answers, int round, String suffix) throws Exception {
        // Each server sat idle while the others were measured (upki's first round waits out all of Pebble's
        // warm-up): a few untimed orders first, so a round measures the server and not its wake-up.
        for (int i = 0; i < settle; i++) {
            issue(t.session(), answers, "s" + i + "." + suffix);
        }
        List<Double> latencies = new ArrayList<>();
        List<Order> timed = new ArrayList<>();
        long requestsBefore = t.session().requests();
        long start = System.nanoTime();
        t.session().takeSteps();
        for (int i = 0; i < orders; i++) {
            long at = System.currentTimeMillis();
            long t0 = System.nanoTime();
            issue(t.session(), answers, "o" + i + "." + suffix);
            double ms = (System.nanoTime() - t0) / 1e6;
            latencies.add(ms);
            timed.add(new Order(at, ms, t.session().takeSteps()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode line = JSON.createObjectNode();
        // The slowest orders with their requests and wall-clock start, to match against GC logs and JFR.
        var slowest = line.putArray("slowest");
        timed.stream().sorted((a, b) -> Double.compare(b.ms(), a.ms())).limit(3).forEach(o -> slowest.addObject()
                .put("at", java.time.Instant.ofEpochMilli(o.at()).toString()).put("ms", Stats.round(o.ms(), 2))
                .put("requests", String.join(", ", o.steps())));
        return line.put("label", t.label()).put("round", round).put("orders", orders).put("settle", settle)
                .put("seconds", Stats.round(seconds, 2)).put("certs_per_s", Stats.round(orders / seconds, 2))
                .put("mean_ms", Stats.round(latencies.stream().mapToDouble(d -> d).average().orElse(0), 2))
                .put("p50_ms", Stats.round(Stats.nearestRank(latencies, 0.50), 2))
                .put("p90_ms", Stats.round(Stats.nearestRank(latencies, 0.90), 2))
                .put("p99_ms", Stats.round(Stats.nearestRank(latencies, 0.99), 2))
                .put("max_ms", Stats.round(Stats.nearestRank(latencies, 1.0), 2))
                .put("requests_per_cert", Stats.round((t.session().requests() - requestsBefore) / (double) orders, 2));
    }

    /** A tag for this run's names (base 36 of the clock), so a server never sees a name of an earlier run again (AcmeLoad too). */
    static String runTag() {
        return Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    }

    /** One certificate: order, http-01 for its one name, finalize with a fresh P-256 key, download (AcmeLoad too). */
    static void issue(AcmeSession s, Map<String, String> answers, String name) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.putArray("identifiers").addObject().put("type", "dns").put("value", name);
        AcmeSession.Reply order = s.post(s.url("newOrder"), p.toString());
        String orderUrl = order.location();
        JsonNode o = order.json();
        for (JsonNode authzUrl : o.path("authorizations")) {
            JsonNode authz = s.post(authzUrl.asText(), null).json();
            if (!"valid".equals(authz.path("status").asText())) {
                JsonNode ch = null;
                for (JsonNode c : authz.path("challenges")) {
                    if ("http-01".equals(c.path("type").asText())) {
                        ch = c;
                    }
                }
                String token = ch.path("token").asText();
                answers.put(token, token + "." + s.thumbprint());
                JsonNode answered = s.post(ch.path("url").asText(), "{}").json();
                if (!"valid".equals(answered.path("status").asText())) {
                    s.pollUntil(authzUrl.asText(), "valid");
                }
                answers.remove(token);
            }
        }
        if (!"ready".equals(o.path("status").asText())) {
            o = s.pollUntil(orderUrl, "ready");
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        long t0 = System.nanoTime();
        String request = csr(keys, name);
        if (System.getenv("BENCH_ACME_TRACE") != null) {
            System.err.printf("%7.2f ms client: key pair and CSR%n", (System.nanoTime() - t0) / 1e6);
        }
        JsonNode done = s.post(o.path("finalize").asText(), JSON.createObjectNode().put("csr", request).toString()).json();
        if (!"valid".equals(done.path("status").asText())) {
            done = s.pollUntil(orderUrl, "valid");
        }
        String chain = s.post(done.path("certificate").asText(), null).body();
        if (!chain.startsWith("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalStateException("no certificate for " + name);
        }
    }

    static String csr(KeyPair keys, String name) throws Exception {
        var b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + name), keys.getPublic());
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(keys.getPrivate())).getEncoded());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AcmeBench()).execute(args));
    }
}
