package io.upki.ra;

import static io.upki.testkit.ops.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.testkit.Await;
import io.upki.testkit.ops.ExportedMetrics;
import io.upki.testkit.ops.Scrape;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ra-core's /health, /ready and /metrics over its real listener: ready follows the CA (checked in the
 * background) and the CRLs; the scrape is checked by promtool; the old public health route stays.
 */
class RaOpsTest {
    @TempDir
    Path dir;

    @Test
    void readinessFollowsTheCaAndMetricsParse() throws Exception {
        try (RaStack stack = new RaStack(dir)) {
            RaServer ra = stack.startRa(RaConfig.Mode.EDGE);
            String base = "http://127.0.0.1:" + ra.port();
            assertThat(get(base + "/health").statusCode()).isEqualTo(200);
            assertThat(get(base + "/api/v1/public/health").statusCode()).isEqualTo(200);
            waitFor(() -> {
                ra.ops().checkNow();
                return get(base + "/ready").statusCode() == 200;
            });

            HttpResponse<String> m = get(base + "/metrics");
            assertThat(m.statusCode()).isEqualTo(200);
            Scrape scrape = Scrape.of(m.body());
            List<String> expected = ExportedMetrics.RA_CORE.stream().filter(n -> !n.startsWith("upki_ra_acme_")).toList();
            assertThat(scrape.names()).containsAll(expected);
            assertThat(scrape.value("upki_ra_ca_reachable")).isEqualTo(1.0);
            assertThat(scrape.value("upki_ra_ready")).isEqualTo(1.0);

            // The CA goes down: the next background check notices, and /ready says why; /health stays up.
            stack.ca.close();
            ra.ops().checkNow();
            HttpResponse<String> r = get(base + "/ready");
            assertThat(r.statusCode()).isEqualTo(503);
            var body = new ObjectMapper().readTree(r.body());
            assertThat(body.get("status").asText()).isEqualTo("not ready");
            assertThat(body.get("reason").asText()).startsWith("ca: not reachable");
            assertThat(Scrape.of(get(base + "/metrics").body()).value("upki_ra_ca_reachable")).isZero();
            assertThat(get(base + "/health").statusCode()).isEqualTo(200);
            assertThat(get(base + "/api/v1/public/health").statusCode()).isEqualTo(200);

            // Back up: ready again after the next check.
            stack.startCa();
            waitFor(() -> {
                ra.ops().checkNow();
                return get(base + "/ready").statusCode() == 200;
            });
        }
    }

    static void waitFor(Await.Condition condition) throws Exception {
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), condition);
    }
}
