package io.upki.ra.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ra.RaConfig;
import io.upki.testkit.ops.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ra-core counts ACME orders per state in its metrics, read from the ACME store in the background. */
class AcmeOrderMetricsTest {
    @TempDir
    Path dir;

    @Test
    void ordersAreCountedPerState() throws Exception {
        try (AcmeStack stack = new AcmeStack(dir)) {
            var ra = stack.startRa(RaConfig.Mode.EDGE, stack.settings(Map.of()));
            AcmeTestClient c = new AcmeTestClient(HttpClient.newHttpClient(), stack.directory, AcmeTestClient.ec256());
            assertThat(c.newAccount(AcmeTestClient.JSON.createObjectNode().put("termsOfServiceAgreed", true)).status())
                    .isEqualTo(201);
            AcmeFlows.newOrder(c, "dns", "one.example.internal");
            AcmeFlows.newOrder(c, "dns", "two.example.internal");
            ra.ops().checkNow();
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ra.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Scrape scrape = Scrape.of(text);
            assertThat(scrape.value("upki_ra_acme_orders", "state", "pending")).isEqualTo(2.0);
            assertThat(scrape.value("upki_ra_acme_orders", "state", "valid")).isZero();
            assertThat(scrape.find("upki_ra_acme_orders")).hasSize(5);
        }
    }
}
