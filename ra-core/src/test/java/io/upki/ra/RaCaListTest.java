package io.upki.ra;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaEndpoints;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ra-core given {@code --ca tcp://dead:port,tcp://ca:port} (the first CA of the pair is down) registers
 * with the seed and signs through the second one, with a real CA and crl-publisher on loopback.
 */
class RaCaListTest {
    @TempDir
    Path dir;

    @Test
    void theFirstCaDeadTheRaRegistersAndSignsThroughTheSecond() throws Exception {
        try (RaStack stack = new RaStack(dir)) {
            int dead = TestCa.freePortBlock(); // three closed ports: operations, registration and events
            CaEndpoints cas = CaEndpoints.parse("tcp://127.0.0.1:" + dead + ",tcp://127.0.0.1:" + stack.caPort, "--ca");
            stack.startRa(cas);
            // Registration (ra.crt from the seed) already went through the pair's second CA.
            assertThat(Files.exists(dir.resolve("ra-DIRECT").resolve("ra.crt"))).isTrue();
            RaStack.Client admin = stack.issue("admin.example.internal", "admin");
            String csr = TestKeys.csr(TestKeys.ec256(), "CN=pair-made.example.com", List.of("pair-made.example.com"));

            HttpResponse<String> signed = RaStack.send(stack.https(admin), "POST",
                    "https://127.0.0.1:" + stack.ra.port() + "/api/v1/certificates",
                    "{\"csr\":" + RaDirectModeTest.json(csr) + ",\"profile\":\"server\"}");

            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(201);
            assertThat(signed.body()).contains("\"serial\"");
            assertThat(stack.ca.call(io.upki.pki.wire.CaTask.LIST_NODES,
                    io.upki.pki.caclient.CaClient.params()).toString()).contains("pair-made.example.com");
        }
    }
}
