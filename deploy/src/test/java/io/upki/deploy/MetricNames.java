package io.upki.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: identifiers with the prefixes our processes export
 * ({@code upki_}, and Micrometer's {@code jvm_}, {@code process_}, {@code system_}); functions, label
 * names and Prometheus's own series such as {@code up} are not ours to check.
 */
final class MetricNames {
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:\"])((?:upki|jvm|process|system)_[A-Za-z0-9_:]*)");
    /** Label matchers and quoted text, removed first so that a label value cannot look like a metric. */
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private MetricNames() {
    }

    static Set<String> in(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(QUOTED.matcher(expr).replaceAll("\"\""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
