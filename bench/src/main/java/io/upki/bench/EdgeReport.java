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
