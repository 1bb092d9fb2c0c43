package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.ca.testing.TestCa;
import io.upki.publisher.Publisher;
import io.upki.publisher.PublisherConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate-crl --publisher}: against a real CA and a real crl-publisher, the command says which
 * publishers took the new CRL, and warns (still exit 0: the CRL is signed) when none did.
 */
class CliPublisherCheckTest {
    @TempDir
    Path dir;
    TestCa ca;
    Publisher publisher;
    Map<String, String> env;
    Path work;

    @BeforeEach
    void start() throws Exception {
        int port = TestCa.freePortBlock();
        TestCa.initialize(dir.resolve("ca"), "ec");
        ca = TestCa.open(dir.resolve("ca"), Duration.ofDays(7), null, Clock.systemUTC(), port);
        publisher = Publisher.start(new PublisherConfig(ca.opsEndpoint(), ca.eventsEndpoint(), null, dir.resolve("out"),
                "127.0.0.1", 0, Duration.ofMinutes(1), Duration.ofMillis(20), Duration.ofMillis(200),
                Duration.ofSeconds(60), Duration.ofSeconds(3)), Clock.systemUTC());
        env = Map.of("UPKI_CA_HOST", "127.0.0.1", "UPKI_CA_PORT", Integer.toString(port));
        work = Files.createDirectories(dir.resolve("work"));
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        ca.close();
    }

    @Test
    void aPublisherThatServesTheNewCrlIsReportedAndNothingIsWarned() {
        String url = "http://127.0.0.1:" + publisher.port();
        int dead = TestCa.freePortBlock();
        CliRun.Result r = CliRun.run(work, env, "generate-crl", "--json", "--publisher",
                url + ",http://127.0.0.1:" + dead);
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("publishers").get(0).path("took").asBoolean()).isTrue();
        assertThat(json.path("publishers").get(0).path("crl_number").asText()).isEqualTo(json.path("number").asText());
        assertThat(json.path("publishers").get(1).path("took").asBoolean()).isFalse();
        assertThat(json.path("publishers").get(1).path("error").asText()).isNotEmpty();
        assertThat(r.err()).doesNotContain("warning");
    }

    @Test
    void noPublisherTakingTheCrlIsWarnedOnStderr() {
        String url = "http://127.0.0.1:" + publisher.port();
        publisher.close();
        publisher = null;
        CliRun.Result r = CliRun.run(work, env, "generate-crl", "--publisher", url, "--publisher-wait", "PT0.5S");
        assertThat(r.code()).as("the CRL is signed all the same").isZero();
        assertThat(r.out()).contains("signed CRL number").contains(url + " did not answer");
        assertThat(r.err()).contains("warning: no crl-publisher took CRL").contains("--ca-events");
    }

    @Test
    void thePublisherListComesFromTheEnvironmentToo() {
        Map<String, String> withList = new java.util.HashMap<>(env);
        withList.put("UPKI_PUBLISHERS", "http://127.0.0.1:" + publisher.port());
        CliRun.Result r = CliRun.run(work, withList, "generate-crl", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.json().path("publishers").get(0).path("took").asBoolean()).isTrue();
    }
}
