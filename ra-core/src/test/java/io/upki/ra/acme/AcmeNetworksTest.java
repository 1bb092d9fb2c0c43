package io.upki.ra.acme;

import io.upki.acme.config.AcmeSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.ra.RaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16, L2: ACME validation made the RA connect to whatever an order named, its own loopback and
 * cloud metadata included, and the errors told which ports were open. Here an ra-core with the default
 * settings (public addresses only) over real HTTPS: such {@code ip} identifiers are refused at newOrder,
 * and a {@code dns} name resolving to loopback (every name does on challtestsrv) is never connected to,
 * its validation failing with a message that names no address and no port.
 */
class AcmeNetworksTest {
    static final String ERR = "urn:ietf:params:acme:error:";
    @TempDir
    static Path dir;
    static AcmeStack stack;
    static ChallengeResponders.Http http;
    static AcmeTestClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = new AcmeStack(dir);
        // The shipped default: no --acme-allow-networks.
        stack.startRa(RaConfig.Mode.DIRECT, new AcmeSettings(true, "server", stack.httpPort, stack.tlsPort,
                "127.0.0.1:" + stack.dnsPort, Map.of(), Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(30),
                null));
        http = new ChallengeResponders.Http(stack.httpPort);
        client = new AcmeTestClient(AcmeTestClient.trusting(stack.caCrt), stack.directory, AcmeTestClient.ec256());
        assertThat(client.newAccount().status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        http.close();
        stack.close();
    }

    @Test
    void addressesOfTheRasOwnHostAndNetworkAreRejectedAtNewOrder() throws Exception {
        for (String ip : List.of("127.0.0.1", "0.0.0.0", "169.254.169.254", "224.0.0.1", "255.255.255.255", "::1", "::",
                "fe80::1", "ff02::1", "::ffff:169.254.169.254", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1",
                "fd00::1")) {
            AcmeTestClient.Reply r = AcmeFlows.newOrder(client, "ip", ip);
            assertThat(r.status()).as(ip + ": " + r.raw().body()).isEqualTo(400);
            assertThat(r.type()).as(ip).isEqualTo(ERR + "rejectedIdentifier");
        }
        // A public address is still ordered (its validation would connect to it).
        assertThat(AcmeFlows.newOrder(client, "ip", "192.0.43.10").status()).isEqualTo(201);
    }

    @Test
    void aNameThatResolvesToLoopbackIsNeverConnectedTo() throws Exception {
        AcmeTestClient.Reply order = AcmeFlows.newOrder(client, "dns", "loopback.example.internal");
        assertThat(order.status()).isEqualTo(201);
        JsonNode ch = AcmeFlows.challenge(client, order.json().path("authorizations").get(0).asText(), "http-01");
        String token = ch.path("token").asText();
        http.answers.put(token, AcmeFlows.keyAuthorization(client.key, token));
        int before = http.hits.get();
        AcmeTestClient.Reply answered = client.post(ch.path("url").asText(), "{}");
        JsonNode result = answered.json();
        for (int i = 0; i < 50 && result.path("status").asText().equals("processing"); i++) {
            Thread.sleep(100);
            result = client.post(ch.path("url").asText(), null).json();
        }
        // Before: the RA fetched the answer from 127.0.0.1 and the challenge was valid.
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("invalid");
        assertThat(http.hits.get()).as("requests the RA made to the loopback responder").isEqualTo(before);
        assertThat(result.path("error").path("type").asText()).isEqualTo(ERR + "connection");
        String detail = result.path("error").path("detail").asText();
        assertThat(detail).contains("no address this server may validate")
                .doesNotContain(Integer.toString(stack.httpPort)).doesNotContain("127.0.0.1").doesNotContain("port");
    }
}
