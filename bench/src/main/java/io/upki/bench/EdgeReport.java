package io.upki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Markdown reports of {@code sidecar-bench.sh} and {@code revocation-bench.sh}: the figures
 * with their baselines (measured in the same run), ratios and targets first, then every measurement.
 */
final class EdgeReport {
    static final double WARM_RATIO_TARGET = 0.80;
    static final double METRICS_RATIO_TARGET = 0.95;
    static final double P99_TARGET_MS = 5.0;
    static final double COLD_TARGET = 5000;
    static final double CRL_LOAD_TARGET_S = 3.0;
    static final double LOOKUP_SLOWDOWN_LIMIT = 2.0;
    static final double REVOCATION_P99_TARGET_MS = 1000;
    static final double REVOCATION_P99_STRETCH_MS = 250;

    private EdgeReport() {
    }

    static String render(String kind, Path results) throws IOException {
        List<JsonNode> lines = CompareReport.read(results);
        return switch (kind) {
            case "sidecar" -> new SidecarReport(lines).render();
            case "revocation" -> new RevocationReport(lines).render();
            default -> throw new IllegalArgumentException("--kind: sidecar or revocation");
        };
    }
}
