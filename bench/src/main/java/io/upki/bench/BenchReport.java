package io.upki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders one run's JSON lines as Markdown: the figures, each next to the machine's own limit
 * measured in the same run and to its target, then every raw measurement.
 */
final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SIGN_TARGET = 0.80;
    private static final double SLOWDOWN_TARGET = 0.10;
    private static final double CRL_TARGET_SECONDS = 2.0;
    private static final int CRL_TARGET_ENTRIES = 100_000;
    /** Above this many cores used by other processes during a measurement, its verdict is flagged. */
    private static final double NOISY_CORES = 0.5;

    private final Map<String, JsonNode> byLabel = new LinkedHashMap<>();
    private final List<String[]> rows = new ArrayList<>();
    private boolean quick;

    private BenchReport() {
    }

    static String render(Path results) throws IOException {
        BenchReport report = new BenchReport();
        for (JsonNode node : CompareReport.read(results)) {
            report.byLabel.put(node.path("label").asText(), node);
        }
        return report.markdown();
    }

    private String markdown() {
        JsonNode meta = byLabel.getOrDefault("meta", JSON.createObjectNode());
        quick = meta.path("quick").asBoolean(false);
        JsonNode openssl = byLabel.getOrDefault("openssl", JSON.createObjectNode());
        String alg = openssl.path("alg").asText("?");
        double base = openssl.path("sign_per_s").asDouble(Double.NaN);
        int cores = meta.path("cores").asInt(Runtime.getRuntime().availableProcessors());
        long stored = meta.path("stored").asLong(0);

        StringBuilder md = new StringBuilder();
        md.append("# ca-server benchmark, ").append(meta.path("date").asText("?")).append(quick ? " (quick run)" : "")
                .append("\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %s, %d cores, load average at start %s; %s; %s; CA key %s.%n",
                meta.path("cpu").asText("?"), cores, meta.path("loadavg").asText("?"), meta.path("java").asText("?"),
                meta.path("openssl").asText("?"), meta.path("key_type").asText("?")));
        md.append("The CA and the load driver share these cores; other processes may be running, so figures are "
                + "indicative.\n");
        if ("rsa-2048".equals(meta.path("csr_key").asText())) {
            md.append("\nThe CA refused an EC P-256 CSR, so `sign` was measured with RSA-2048 CSRs.\n");
        }
        double worst = byLabel.values().stream().mapToDouble(n -> n.path("other_cores").asDouble(0)).max().orElse(0);
        if (worst > 0.25) {
            md.append(String.format(Locale.ROOT, "%nOther processes used up to %.2f cores during a measurement (column"
                    + " \"other cores\" below): the figures of those rows are lower than this machine can do.%n", worst));
        }
        md.append("\n");

        row("openssl speed " + alg + " sign/s (1 core)", fmt(base, 1) + "/s", "baseline", "", "");
        for (String label : List.of("jvm-sign-1", "jvm-sign-2")) {
            JsonNode j = byLabel.get(label);
            if (j != null) {
                double rate = j.path("sign_per_s").asDouble(Double.NaN);
                row("JVM signing, CA key " + j.path("algorithm").asText() + ", " + j.path("threads").asInt()
                                + " thread(s), no CA around it",
                        fmt(rate, 1) + "/s", ratio(rate, base) + " x openssl " + alg + " (1 core)", "", "info");
            }
        }

        for (String label : List.of("sign-empty-c1", "sign-empty-c4", "sign-stored-c1", "sign-stored-c4", "get_ca")) {
            failed(byLabel.get(label), label);
        }
        JsonNode s1 = byLabel.get("sign-empty-c1");
        JsonNode s4 = byLabel.get("sign-empty-c4");
        JsonNode t1 = byLabel.get("sign-stored-c1");
        JsonNode t4 = byLabel.get("sign-stored-c4");
        double r1 = rate(s1);
        double r4 = rate(s4);
        double wantScale = 0.8 * Math.min(4, cores);
        double jvm1 = byLabel.containsKey("jvm-sign-1")
                ? byLabel.get("jvm-sign-1").path("sign_per_s").asDouble(Double.NaN) : Double.NaN;
        if (s1 != null) {
            row("sign, 1 client, empty store", throughput(s1),
                    "single-client sign = " + ratio(r1, base) + " x openssl " + alg + " sign/s (1 core); "
                            + ratio(r1, jvm1) + " x the JVM's own 1-thread signing rate",
                    ">= " + fmt(SIGN_TARGET, 2) + " x", verdict(r1 / base >= SIGN_TARGET, s1));
        }
        if (s4 != null) {
            row("sign, 4 clients, empty store", throughput(s4),
                    "4-client / 1-client = " + ratio(r4, r1) + "x; " + ratio(r4, base) + " x openssl (1 core); "
                            + "CA used " + fmt(s4.path("server_cores").asDouble(Double.NaN), 2) + " cores",
                    ">= " + fmt(wantScale, 1) + "x (both cores)", verdict(r4 / r1 >= wantScale, s1, s4));
        }
        for (JsonNode[] pair : new JsonNode[][] {{s1, t1}, {s4, t4}}) {
            if (pair[0] != null && pair[1] != null) {
                double slowdown = 1 - rate(pair[1]) / rate(pair[0]);
                row("sign, " + pair[1].path("clients").asInt() + " client(s), " + String.format(Locale.ROOT, "%,d", stored)
                                + " stored", throughput(pair[1]),
                        "slowdown at " + shortCount(stored) + " = " + fmt(100 * slowdown, 1) + " %"
                                + "; " + ratio(rate(pair[1]), base) + " x openssl",
                        "<= " + fmt(100 * SLOWDOWN_TARGET, 0) + " %", verdict(slowdown <= SLOWDOWN_TARGET, pair[0], pair[1]));
            }
        }
        List<Integer> levels = new ArrayList<>();
        meta.path("revoked_levels").forEach(n -> levels.add(n.asInt()));
        int largest = levels.isEmpty() ? 0 : levels.get(levels.size() - 1);
        for (int level : levels) {
            JsonNode crl = byLabel.get("crl-" + level);
            if (failed(crl, "generate_crl, " + String.format(Locale.ROOT, "%,d", level) + " revoked")) {
                continue;
            }
            if (crl != null) {
                double seconds = crl.path("p50_ms").asDouble(Double.NaN) / 1000;
                boolean targeted = level == largest;
                row("generate_crl, " + String.format(Locale.ROOT, "%,d", level) + " revoked",
                        fmt(seconds, 3) + " s median of " + crl.path("calls").asInt() + " (max "
                                + fmt(crl.path("max_ms").asDouble() / 1000, 3) + " s; "
                                + String.format(Locale.ROOT, "%,d", crl.path("crl_entries").asInt()) + " entries, "
                                + fmt(crl.path("crl_bytes").asDouble() / 1e6, 2) + " MB DER)",
                        "generate_crl " + shortCount(level) + " = " + fmt(seconds, 2) + " s",
                        targeted ? "< " + fmt(CRL_TARGET_SECONDS, 0) + " s at " + shortCount(CRL_TARGET_ENTRIES) : "",
                        (targeted ? verdict(seconds < CRL_TARGET_SECONDS, crl) : "info") + readable(crl));
            }
        }
        for (int level : levels) {
            JsonNode revoke = byLabel.get("revoke-" + level);
            if (failed(revoke, "revoke latency, " + String.format(Locale.ROOT, "%,d", level) + " revoked")) {
                continue;
            }
            if (revoke != null) {
                row("revoke latency, " + String.format(Locale.ROOT, "%,d", level) + " revoked", latencies(revoke),
                        revoke.path("calls").asInt() + " calls, " + revoke.path("errors").asInt() + " errors", "", "info");
            }
        }
        JsonNode getCa = byLabel.get("get_ca");
        if (getCa != null) {
            row("get_ca round trip, 1 client", latencies(getCa),
                    fmt(rate(getCa), 0) + " calls/s", "", "info");
        }

        md.append("| figure | measured | against baseline / target | target | result |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        for (String[] r : rows) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        if (quick) {
            md.append("\n\\* quick run: smaller store, fewer revocations and shorter measurements than the issue "
                    + "asks for; verdicts are indicative only.\n");
        }
        md.append("\n## Raw measurements\n\n");
        md.append("| label | task | clients | calls | errors | per s | p50 ms | p95 ms | p99 ms | max ms "
                + "| CA cores | driver cores | other cores |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (JsonNode n : byLabel.values()) {
            if (!n.has("task") || n.has("failed") || n.path("task").asText().equals("jvm_sign")) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    n.path("label").asText(), n.path("task").asText(), n.path("clients").asInt(),
                    n.path("calls").asInt(), n.path("errors").asInt(), num(n, "throughput_per_s", 1),
                    num(n, "p50_ms", 2), num(n, "p95_ms", 2), num(n, "p99_ms", 2), num(n, "max_ms", 2),
                    num(n, "server_cores", 2), num(n, "client_cores", 2), num(n, "other_cores", 2)));
            if (n.has("first_error")) {
                md.append("|  | first error: ").append(n.path("first_error").asText().replace("|", "/"))
                        .append(" | | | | | | | | | | | |\n");
            }
        }
        return md.toString();
    }

    /** Adds a row for a measurement that could not be made; true when it failed. */
    private boolean failed(JsonNode n, String figure) {
        if (n == null || !n.has("failed")) {
            return false;
        }
        row(figure, "measurement failed: " + n.path("failed").asText().replace("|", "/"), "", "", "**FAIL**");
        return true;
    }

    /** For a CRL reply: whether the pki-common client (ZmqCaClient) could read it. */
    private static String readable(JsonNode crl) {
        return crl.path("zmq_ca_client_can_read").asBoolean(true) ? ""
                : " (and **unreadable by ZmqCaClient**: its base64 is above WireCodec's 4 MiB string limit)";
    }

    private void row(String figure, String measured, String against, String target, String result) {
        rows.add(new String[] {figure, measured, against, target, result});
    }

    private String verdict(boolean pass, JsonNode... measured) {
        double other = 0;
        for (JsonNode n : measured) {
            other = Math.max(other, n == null ? 0 : n.path("other_cores").asDouble(0));
        }
        return (pass ? "PASS" : "**FAIL**") + (quick ? "*" : "")
                + (other > NOISY_CORES ? String.format(Locale.ROOT, " (unreliable: other processes used %.2f cores)", other)
                        : "");
    }

    private static double rate(JsonNode n) {
        return n == null || n.has("failed") ? Double.NaN : n.path("throughput_per_s").asDouble(Double.NaN);
    }

    private static String throughput(JsonNode n) {
        return fmt(rate(n), 1) + "/s (p50 " + num(n, "p50_ms", 1) + " ms, p99 " + num(n, "p99_ms", 1) + " ms"
                + (n.path("errors").asInt() > 0 ? ", " + n.path("errors").asInt() + " errors" : "")
                + (n.path("other_cores").asDouble(0) > 0.25 ? ", other processes used " + num(n, "other_cores", 2)
                        + " cores" : "") + ")";
    }

    private static String latencies(JsonNode n) {
        return "p50 " + num(n, "p50_ms", 2) + " ms, p95 " + num(n, "p95_ms", 2) + " ms, p99 " + num(n, "p99_ms", 2)
                + " ms";
    }

    private static String num(JsonNode n, String field, int places) {
        JsonNode v = n.path(field);
        return v.isNumber() ? fmt(v.asDouble(), places) : "-";
    }

    private static String ratio(double a, double b) {
        return fmt(a / b, 2);
    }

    private static String fmt(double v, int places) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + places + "f", v);
    }

    private static String shortCount(long n) {
        return n >= 1000 && n % 1000 == 0 ? (n / 1000) + "k" : Long.toString(n);
    }
}
