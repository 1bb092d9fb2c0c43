package io.upki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report of a comparison measured in interleaved rounds of one run (A, B, B, A, ...): figures are
 * labelled {@code NAME-rROUND}, and each ratio {@code NUM/DEN} is taken round by round, between figures
 * measured a minute apart, then the median of those per-round ratios is reported (a round starved of CPU
 * by other processes moves a median less than a mean, and a ratio of one round less than either figure).
 */
final class CompareReport {
    private static final Pattern ROUND = Pattern.compile("^(.*)-r(\\d+)$");

    /** One ratio to report: figure {@code numerator} over figure {@code denominator}, with its target. */
    record Ratio(String name, String numerator, String denominator, double target) {
        /** Parses {@code NAME=NUM/DEN[>=TARGET]}; without a target the ratio is reported only. */
        static Ratio parse(String spec) {
            Matcher m = Pattern.compile("^([^=]+)=([^/]+)/([^>]+)(?:>=([0-9.]+))?$").matcher(spec);
            if (!m.matches()) {
                throw new IllegalArgumentException("--ratio must be NAME=NUM/DEN[>=TARGET]: " + spec);
            }
            return new Ratio(m.group(1), m.group(2), m.group(3), m.group(4) == null ? Double.NaN : Double.parseDouble(m.group(4)));
        }
    }

    private CompareReport() {
    }

    /** The JSON objects of a JSON-lines file; blank lines and lines that are not an object (stray output) skipped. */
    static List<JsonNode> read(Path results) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(results)) {
            if (line.startsWith("{")) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }

    /** The rate of one figure: calls per second of a {@code measure}, signatures per second of a {@code sign-speed}. */
    static double rate(JsonNode line) {
        return line.has("throughput_per_s") ? line.path("throughput_per_s").asDouble()
                : line.has("sign_per_s") ? line.path("sign_per_s").asDouble() : Double.NaN;
    }

    /** Figure name, then round, then its line. */
    static Map<String, Map<Integer, JsonNode>> byRound(List<JsonNode> lines) {
        Map<String, Map<Integer, JsonNode>> figures = new TreeMap<>();
        for (JsonNode l : lines) {
            Matcher m = ROUND.matcher(l.path("label").asText());
            if (m.matches()) {
                figures.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), l);
            }
        }
        return figures;
    }

    static String render(Path results, String title, String intro, List<Ratio> ratios) throws IOException {
        List<JsonNode> lines = read(results);
        JsonNode meta = lines.stream().filter(l -> "meta".equals(l.path("label").asText())).findFirst()
                .orElse(new ObjectMapper().createObjectNode());
        JsonNode end = lines.stream().filter(l -> "meta-end".equals(l.path("label").asText())).findFirst()
                .orElse(new ObjectMapper().createObjectNode());
        Map<String, Map<Integer, JsonNode>> figures = byRound(lines);
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "Run %s, %s CA, %s cores (%s), %s. Load average at start %s, at end %s.%n%n",
                meta.path("date").asText("?"), meta.path("key_type").asText("?"), meta.path("cores").asText("?"),
                meta.path("cpu").asText("?"), meta.path("java").asText("?"), meta.path("loadavg").asText("?"),
                end.path("loadavg").asText("?")));
        if (!intro.isBlank()) {
            md.append(intro).append("\n\n");
        }
        md.append("Each ratio is taken within one round (figures measured a minute apart), then the median over rounds.\n\n");
        md.append("| ratio | numerator (median per s) | denominator (median per s) | per-round ratios | median ratio | target |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Ratio r : ratios) {
            Map<Integer, JsonNode> num = figures.getOrDefault(r.numerator(), Map.of());
            Map<Integer, JsonNode> den = figures.getOrDefault(r.denominator(), Map.of());
            List<Double> perRound = new ArrayList<>();
            List<String> shown = new ArrayList<>();
            for (Map.Entry<Integer, JsonNode> e : num.entrySet()) {
                JsonNode d = den.get(e.getKey());
                double a = rate(e.getValue());
                double b = d == null ? Double.NaN : rate(d);
                if (b > 0 && !Double.isNaN(a)) {
                    perRound.add(a / b);
                    shown.add(String.format(Locale.ROOT, "%.2f", a / b));
                }
            }
            double ratio = Stats.median(perRound);
            String verdict = Double.isNaN(r.target()) ? "-"
                    : String.format(Locale.ROOT, ">= %.2fx %s", r.target(),
                            Double.isNaN(ratio) ? "(not measured)" : ratio >= r.target() ? "(met)" : "(NOT met)");
            md.append(String.format(Locale.ROOT, "| %s | %s %.1f | %s %.1f | %s | %.2fx | %s |%n", r.name(), r.numerator(),
                    Stats.median(rates(num)), r.denominator(), Stats.median(rates(den)), String.join(" / ", shown), ratio, verdict));
        }
        md.append("\nEvery figure (label, calls, errors, per s, p50 / p99 ms, cores used by the measured process, other cores):\n\n");
        for (JsonNode l : lines) {
            String label = l.path("label").asText();
            if (!ROUND.matcher(label).matches()) {
                continue;
            }
            if (l.has("failed")) {
                md.append("- ").append(label).append(": FAILED ").append(l.path("failed").asText()).append('\n');
            } else if (l.has("sign_per_s")) {
                md.append(String.format(Locale.ROOT, "- %s: in-JVM signing, %s threads, %s/s%n", label,
                        l.path("threads").asText("?"), l.path("sign_per_s").asText("?")));
            } else {
                md.append(String.format(Locale.ROOT, "- %s: %s calls, %s errors, %s/s, p50 %s / p99 %s ms, CA %s cores, other %s%n",
                        label, l.path("calls").asText("?"), l.path("errors").asText("?"), l.path("throughput_per_s").asText("?"),
                        l.path("p50_ms").asText("?"), l.path("p99_ms").asText("?"), l.path("server_cores").asText("?"),
                        l.path("other_cores").asText("?")));
            }
        }
        return md.toString();
    }

    private static List<Double> rates(Map<Integer, JsonNode> rounds) {
        List<Double> out = new ArrayList<>();
        rounds.values().forEach(l -> {
            double r = rate(l);
            if (!Double.isNaN(r)) {
                out.add(r);
            }
        });
        return out;
    }

}
