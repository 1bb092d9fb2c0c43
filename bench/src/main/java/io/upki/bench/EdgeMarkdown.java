package io.upki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the edge reports share: the run's JSON lines, the Markdown being written, table rows and number formats. */
abstract class EdgeMarkdown {
    final List<JsonNode> lines;
    final StringBuilder md = new StringBuilder();
    final boolean quick;

    EdgeMarkdown(List<JsonNode> lines) {
        this.lines = lines;
        JsonNode meta = first("meta");
        this.quick = meta != null && meta.path("quick").asBoolean(false);
    }

    /** The whole report. */
    abstract String render();

    /** The report's title line ({@code name}, the run's date, whether it was quick); returns the run's meta line. */
    JsonNode title(String name) {
        JsonNode meta = first("meta");
        md.append("# ").append(name).append(", ").append(text(meta, "date")).append(quick ? " (quick run)" : "").append("\n\n");
        return meta;
    }

    /**
     * The machine and the CA key from the run's meta line, {@code Machine: CPU, N cores; JAVA; TOOL...; CA key: ...}
     * with the versions of {@code tools} (meta fields), unterminated: the report goes on with its own setup.
     */
    void machine(JsonNode meta, String... tools) {
        md.append("Machine: ").append(text(meta, "cpu")).append(", ").append(text(meta, "cores")).append(" cores; ")
                .append(text(meta, "java"));
        for (String tool : tools) {
            md.append("; ").append(text(meta, tool));
        }
        md.append(". CA key: ").append(keyName(text(meta, "key_type"))).append(" (upki's default is RSA-4096)");
    }

    /** The load averages noted during the run, {@code at loadavg; ...}. */
    String loadAverages() {
        return kind("load").stream().map(l -> l.path("at").asText() + " " + l.path("loadavg").asText())
                .collect(Collectors.joining("; "));
    }

    void row(String figure, String measured, String baseline, String ratio, String target, String verdict) {
        md.append("| ").append(figure).append(" | ").append(measured).append(" | ").append(baseline).append(" | ")
                .append(ratio).append(" | ").append(target).append(" | ").append(verdict).append(" |\n");
    }

    String verdict(boolean pass) {
        return (pass ? "PASS" : "FAIL") + (quick ? "*" : "");
    }

    JsonNode first(String label) {
        return lines.stream().filter(l -> l.path("label").asText().equals(label)).findFirst().orElse(null);
    }

    List<JsonNode> kind(String kind) {
        return lines.stream().filter(l -> l.path("kind").asText().equals(kind)).toList();
    }

    /** For each round N, the rps of {@code a + N} over that of {@code b + N} (runs of one round measured back to back). */
    List<Double> roundRatios(String a, String b) {
        List<Double> out = new ArrayList<>();
        for (int round = 1; ; round++) {
            JsonNode x = first(a + round);
            JsonNode y = first(b + round);
            if (x == null || y == null) {
                return out;
            }
            out.add(x.path("rps").asDouble() / y.path("rps").asDouble());
        }
    }


    /** Median rps of the wrk runs named {@code prefix<round>} (exactly: digits after the prefix). */
    double median(String kind, String prefix) {
        return Stats.median(lines.stream().filter(l -> l.path("kind").asText().equals(kind))
                .filter(l -> l.path("label").asText().matches(java.util.regex.Pattern.quote(prefix) + "\\d+"))
                .map(l -> l.path("rps").asDouble()).toList());
    }

    static String triple(JsonNode l, String name) {
        if (l.path(name + "_n").asInt(0) == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", l.path(name + "_p50_ms").asDouble(),
                l.path(name + "_p95_ms").asDouble(), l.path(name + "_max_ms").asDouble());
    }

    static String text(JsonNode n, String field) {
        return n == null ? "?" : n.path(field).asText("?");
    }

    static String keyName(String keyType) {
        return switch (keyType) {
            case "ec" -> "EC P-384 (`--key-type ec`)";
            case "rsa" -> "RSA-4096 (the default)";
            default -> keyType;
        };
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    static String f0(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%.2f ms", v);
    }

    static double max(JsonNode array) {
        double m = Double.NaN;
        for (JsonNode n : array) {
            m = Double.isNaN(m) ? n.asDouble() : Math.max(m, n.asDouble());
        }
        return m;
    }

    static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(String.format(Locale.ROOT, "%.2f", n.asDouble())));
        return String.join(", ", out);
    }

    static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
