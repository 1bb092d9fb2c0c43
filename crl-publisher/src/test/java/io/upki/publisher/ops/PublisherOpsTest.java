package io.upki.publisher.ops;

import static io.upki.testkit.ops.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.publisher.Publisher;
import io.upki.publisher.PublisherConfig;
import io.upki.publisher.TestPublishers;
import io.upki.testkit.Await;
import io.upki.testkit.clock.MutableClock;
import io.upki.testkit.ops.ExportedMetrics;
import io.upki.testkit.ops.Scrape;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health, /ready and /metrics of a real publisher in front of a real CA; scrapes checked by promtool. */
class PublisherOpsTest {
    @TempDir
    Path dir;

    @Test
    void revocationLatencyIsMeasuredAndAStaleCrlMakesItNotReady() throws Exception {
        // The CA keeps the system clock; only the publisher's clock moves, so the CA cannot mend the staleness.
        MutableClock clock = new MutableClock();
        try (TestCa ca = TestCa.start(dir.resolve("ca"))) {
            PublisherConfig config = TestPublishers.config(ca, dir.resolve("out"), 0, Duration.ofSeconds(2));
            try (Publisher publisher = Publisher.start(config, clock)) {
                String base = "http://127.0.0.1:" + publisher.port();
                assertThat(get(base + "/health").statusCode()).isEqualTo(200);
                waitFor(() -> publisher.publication().current() != null);
                assertThat(get(base + "/ready").statusCode()).isEqualTo(200);

                var issued = ca.call(CaTask.GENERATE, CaClient.params().put("cn", "ops.example.internal")
                        .put("profile", "server"));
                BigInteger serial = new BigInteger(issued.get("serial").asText());
                ca.client().revokeSerial(serial, "keyCompromise");
                waitFor(() -> publisher.publication().current().snapshot().revokes(serial));
                // Timed off the publication path, so it shows a moment later.
                waitFor(() -> {
                    try {
                        return Scrape.of(get(base + "/metrics").body())
                                .value("upki_publisher_revocation_publication_seconds_count") == 1.0;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });

                HttpResponse<String> m = get(base + "/metrics");
                assertThat(m.statusCode()).isEqualTo(200);
                Scrape scrape = Scrape.of(m.body());
                assertThat(scrape.names()).containsAll(ExportedMetrics.PUBLISHER);
                assertThat(scrape.value("upki_publisher_revocation_publication_seconds_count")).isEqualTo(1.0);
                // Revocation dates have a resolution of one second; the push path takes milliseconds.
                assertThat(scrape.value("upki_publisher_revocation_publication_seconds_sum")).isLessThan(5.0);
                assertThat(scrape.value("upki_publisher_crl_entries")).isEqualTo(1.0);
                assertThat(scrape.value("upki_publisher_crl_size_bytes")).isPositive();
                assertThat(scrape.value("upki_publisher_crl_seconds_to_next_update")).isPositive();
                assertThat(scrape.value("upki_publisher_ready")).isEqualTo(1.0);

                clock.advance(Duration.ofDays(8));
                HttpResponse<String> r = get(base + "/ready");
                assertThat(r.statusCode()).isEqualTo(503);
                var body = new ObjectMapper().readTree(r.body());
                assertThat(body.get("status").asText()).isEqualTo("not ready");
                assertThat(body.get("reason").asText()).contains("stale");
                Scrape stale = Scrape.of(get(base + "/metrics").body());
                assertThat(stale.value("upki_publisher_ready")).isZero();
                assertThat(stale.value("upki_publisher_crl_seconds_to_next_update")).isNegative();
                assertThat(get(base + "/health").statusCode()).isEqualTo(200);
            }
        }
    }

    static void waitFor(Await.Condition condition) throws Exception {
        Await.until(Duration.ofSeconds(20), condition);
    }
}
