package io.upki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report of {@code ca-bench.sh --auth-compare}: sign and get_ca with {@code --client-auth curve}
 * against {@code none}, measured in alternating rounds of one run (none, curve, curve, none, ...) so
 * that a drift of the shared machine weighs on both modes alike; each mode's figure is the median of its
 * rounds (one round starved of CPU by other processes then moves it less than a mean), and the ratio is
 * curve / none.
 */
final class AuthReport {
    /** Targets of the CURVE issue: CURVE may cost at most 10 % of sign and 20 % of get_ca throughput. */
    private static final double SIGN_TARGET = 0.9;
    private static final double GET_CA_TARGET = 0.8;

    private AuthReport() {
    }

    static String render(Path results) throws IOException {
        List<JsonNode> lines = CompareReport.read(results);
        JsonNode meta = lines.stream().filter(l -> "meta".equals(l.path("label").asText())).findFirst()
                .orElse(new ObjectMapper().createObjectNode());
        StringBuilder md = new StringBuilder();
        md.append("# ca-server: CURVE client authentication against the plain protocol\n\n");
        md.append(String.format(Locale.ROOT, "Run %s, %s CA, %s cores (%s), load average at start %s, %s.%n%n",
                meta.path("date").asText("?"), meta.path("key_type").asText("?"), meta.path("cores").asText("?"),
                meta.path("cpu").asText("?"), meta.path("loadavg").asText("?"), meta.path("java").asText("?")));
        md.append("The machine is shared with other builds: the rounds alternate (none, curve, curve, none, ...) so "
                + "that their load weighs on both modes; each figure is the median of a mode's rounds.\n\n");
        md.append("| task | none (per s) | curve (per s) | curve / none | target | p50 none / curve (ms) | rounds |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        row(md, lines, "sign", SIGN_TARGET);
        row(md, lines, "get_ca", GET_CA_TARGET);
        md.append("\nRounds (label, calls, errors, throughput per s, p50 ms, CA cores):\n\n");
        for (JsonNode l : lines) {
            String label = l.path("label").asText();
            if (label.startsWith("none-") || label.startsWith("curve-")) {
                md.append(String.format(Locale.ROOT, "- %s: %s calls, %s errors, %s/s, p50 %s ms, CA %s cores%s%n", label,
                        l.path("calls").asText("?"), l.path("errors").asText("?"), l.path("throughput_per_s").asText("?"),
                        l.path("p50_ms").asText("?"), l.path("server_cores").asText("?"),
                        l.has("failed") ? " FAILED: " + l.path("failed").asText() : ""));
            }
        }
        return md.toString();
    }

    private static void row(StringBuilder md, List<JsonNode> lines, String task, double target) {
        double[] none = stats(lines, "none-" + task + "-");
        double[] curve = stats(lines, "curve-" + task + "-");
        double ratio = none[0] > 0 ? curve[0] / none[0] : Double.NaN;
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2fx | >= %.1fx %s | %.2f / %.2f | %d + %d |%n", task,
                none[0], curve[0], ratio, target, Double.isNaN(ratio) ? "(not measured)" : ratio >= target ? "(met)" : "(NOT met)",
                none[1], curve[1], (int) none[2], (int) curve[2]));
    }

    /** Median throughput, median p50 and the number of rounds of the lines whose label starts with prefix. */
    private static double[] stats(List<JsonNode> lines, String prefix) {
        List<Double> rates = new ArrayList<>();
        List<Double> p50s = new ArrayList<>();
        for (JsonNode l : lines) {
            if (l.path("label").asText().startsWith(prefix) && l.has("throughput_per_s")) {
                rates.add(l.path("throughput_per_s").asDouble());
                p50s.add(l.path("p50_ms").asDouble());
            }
        }
        return rates.isEmpty() ? new double[] {Double.NaN, Double.NaN, 0}
                : new double[] {Stats.median(rates), Stats.median(p50s), rates.size()};
    }
}
