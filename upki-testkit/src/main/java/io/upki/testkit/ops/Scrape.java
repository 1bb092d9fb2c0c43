package io.upki.testkit.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A {@code /metrics} answer checked by Prometheus's own parser ({@code promtool check metrics}, which
 * fails on any text a Prometheus server could not ingest) and then read into samples for assertions.
 */
public final class Scrape {
    /** One sample line: metric name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) {
        this.samples = samples;
    }

    /**
     * Validates {@code text} with promtool and parses it.
     *
     * @throws AssertionError when promtool is missing (CI installs it: .ci/run) or rejects the text
     */
    public static Scrape of(String text) {
        Promtool.Result r = Promtool.run(text, "check", "metrics");
        // promtool exits 1 when the text does not parse and 3 for lint findings (names, help texts),
        // which it also prints: both fail the check.
        if (r.exit() != 0) {
            throw new AssertionError("promtool check metrics refused the scrape (exit " + r.exit() + "):\n" + r.output());
        }
        return new Scrape(parse(text));
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Metric family names as Prometheus stores them (sample names, with _total, _bucket and so on). */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The samples of {@code name} whose labels include {@code labels} (name, value pairs). */
    public List<Sample> find(String name, String... labels) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                match &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (match) {
                out.add(s);
            }
        }
        return out;
    }

    /** The sum of the matching samples' values; 0 when none matches. */
    public double value(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    private static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            String rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int end = labels(line, brace + 1, labels);
                rest = line.substring(end + 1).strip();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).strip();
            }
            String value = rest.split(" ")[0];
            out.add(new Sample(name, labels, switch (value) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(value);
            }));
        }
        return out;
    }

    /** Reads {@code k="v",...} from {@code i}; returns the index of the closing brace. */
    private static int labels(String line, int i, Map<String, String> labels) {
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).strip();
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char n = line.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else {
                    v.append(c);
                }
                j++;
            }
            labels.put(key, v.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i;
    }

    /** Runs promtool; a missing promtool is a failure, since CI installs it. */
    public static final class Promtool {
        /** Exit status and combined output of one promtool run. */
        public record Result(int exit, String output) {
        }

        private Promtool() {
        }

        public static Result run(String stdin, String... args) {
            List<String> command = new ArrayList<>();
            command.add("promtool");
            command.addAll(List.of(args));
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60 s");
                }
                return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AssertionError("promtool is not installed (apt-get install prometheus; .ci/run installs it): "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
