package io.upki.ca.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail of a real {@code ca-server start --audit-log} process with JSON logs: every
 * state-changing request, accepted or refused, is one JSON line naming who, what, which certificate and
 * the result; the line of an acknowledged revocation survives a SIGKILL right after the reply; and
 * neither the logs nor the trail ever hold a private key, a certificate, a CSR or the seed.
 */
class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CaProcess ca;

    @AfterEach
    void stop() throws InterruptedException {
        if (ca != null) {
            ca.destroyIfRunning();
        }
    }

    @Test
    @Timeout(120)
    void everyChangeIsOneJsonLineAndNoSecretReachesTheLogsOrTheTrail() throws Exception {
        Path data = tmp.resolve("ca");
        TestCa.initialize(data, "ec");
        Path log = tmp.resolve("ca.log");
        Path audit = tmp.resolve("logs").resolve("audit.jsonl"); // its folder does not exist yet
        ca = CaProcess.on(data, log);
        ca.start(Duration.ofSeconds(40), Map.of("UPKI_LOG_FORMAT", "json"), List.of("--audit-log", audit.toString()));

        String csr = TestKeys.csr(TestKeys.ec256(), "CN=audited.example.test", List.of("audited.example.test"));
        String badCsr = csr.replace("M", "N");
        List<String> secrets = new ArrayList<>(List.of(TestCa.SEED));
        secrets.addAll(pemLines(csr));
        secrets.addAll(pemLines(badCsr));
        BigInteger signed;
        BigInteger held;
        try (ZmqCaClient ops = client(ca.endpoint()); ZmqCaClient reg = client(ca.registrationEndpoint())) {
            JsonNode node = reg.call(CaTask.REGISTER, CaClient.params().put("seed", TestCa.SEED).put("cn", "node-1"));
            assertThat(node.path("private_key").asText()).contains("PRIVATE KEY"); // the caller's, never logged
            secrets.addAll(pemLines(node.path("private_key").asText()));
            secrets.addAll(pemLines(node.path("certificate").asText()));
            assertThatThrownBy(() -> reg.call(CaTask.REGISTER,
                    CaClient.params().put("seed", "wrong-seed-9876543210").put("cn", "intruder")))
                    .isInstanceOf(CaClientException.class);
            secrets.add("wrong-seed-9876543210");

            JsonNode sign = ops.call(CaTask.SIGN, CaClient.params().put("csr", csr).put("profile", "server"));
            signed = sign.path("serial").bigIntegerValue();
            secrets.addAll(pemLines(sign.path("certificate").asText()));
            assertThatThrownBy(() -> ops.call(CaTask.SIGN, CaClient.params().put("csr", badCsr)))
                    .isInstanceOf(CaClientException.class);

            JsonNode generated = ops.call(CaTask.GENERATE, CaClient.params().put("cn", "held.example.test"));
            held = generated.path("serial").bigIntegerValue();
            secrets.addAll(pemLines(generated.path("certificate").asText()));
            ops.call(CaTask.REVOKE, CaClient.params().put("serial", held).put("reason", "certificateHold"));
            ops.call(CaTask.UNREVOKE, CaClient.params().put("serial", held));
            ops.call(CaTask.GENERATE_CRL, CaClient.params());
            ops.call(CaTask.ADD_ADMIN, CaClient.params().put("dn", "CN=admin.example.test"));
            ops.call(CaTask.REMOVE_ADMIN, CaClient.params().put("dn", "CN=admin.example.test"));
            assertThatThrownBy(() -> ops.call(CaTask.REVOKE, CaClient.params().put("serial", new BigInteger("123456789"))))
                    .isInstanceOf(CaClientException.class);

            ops.call(CaTask.REVOKE, CaClient.params().put("serial", signed).put("reason", "keyCompromise"));
        }
        // Killed right after the revocation was acknowledged: nothing is flushed or closed on the way out.
        ca.kill();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(audit))).isEqualTo("rw-------");
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(audit, StandardCharsets.UTF_8)) {
            JsonNode event = JSON.readTree(line); // each line one whole object
            assertThat(event.isObject()).as(line).isTrue();
            for (String field : List.of("time", "source", "who", "action", "result")) {
                assertThat(event.path(field).asText()).as(field + " in " + line).isNotBlank();
            }
            assertThat(event.path("source").asText()).isEqualTo("ca-server");
            events.add(event);
        }
        JsonNode revoke = last(events, "revoke", "ok");
        assertThat(revoke.path("serial").asText()).isEqualTo(signed.toString(16));
        assertThat(revoke.path("subject").asText()).endsWith("CN=audited.example.test");
        assertThat(revoke.path("reason").asText()).isEqualTo("keyCompromise");
        assertThat(revoke.path("who").asText()).startsWith("zmq:");
        assertThat(revoke.path("via").asText()).isEqualTo(ca.endpoint());

        JsonNode register = last(events, "register", "ok");
        assertThat(register.path("who").asText()).isEqualTo("registration seed");
        assertThat(register.path("subject").asText()).contains("CN=node-1");
        JsonNode intruder = last(events, "register", "refused");
        assertThat(intruder.path("cn").asText()).isEqualTo("intruder");
        assertThat(intruder.path("reason").asText()).contains("Invalid registration seed");
        assertThat(last(events, "sign", "ok").path("serial").asText()).isEqualTo(signed.toString(16));
        assertThat(last(events, "sign", "refused").path("reason").asText()).isNotBlank();
        assertThat(last(events, "unrevoke", "ok").path("serial").asText()).isEqualTo(held.toString(16));
        assertThat(last(events, "revoke", "refused").path("serial").asText()).isEqualTo(new BigInteger("123456789").toString(16));
        assertThat(last(events, "generate_crl", "ok").path("number").isNumber()).isTrue();
        assertThat(last(events, "add_admin", "ok").path("dn").asText()).isEqualTo("CN=admin.example.test");
        assertThat(last(events, "remove_admin", "ok").path("dn").asText()).isEqualTo("CN=admin.example.test");

        String logText = Files.readString(log, StandardCharsets.UTF_8);
        List<JsonNode> logLines = new ArrayList<>();
        for (String line : logText.split("\n")) {
            if (line.startsWith("{")) {
                logLines.add(JSON.readTree(line));
            } else {
                // Only the ready line goes to stdout as text; every log line is JSON.
                assertThat(line).as("a non-JSON log line").satisfiesAnyOf(
                        l -> assertThat(l).isBlank(), l -> assertThat(l).startsWith("upki ca-server ready"));
            }
        }
        assertThat(logLines).anySatisfy(l -> {
            assertThat(l.path("loggerName").asText()).isEqualTo("upki.audit");
            assertThat(l.path("formattedMessage").asText()).contains("action=revoke", "result=ok");
        });
        String trail = Files.readString(audit, StandardCharsets.UTF_8);
        for (String text : List.of(logText, trail)) {
            assertThat(text).doesNotContain("PRIVATE KEY", "BEGIN CERTIFICATE", "CERTIFICATE REQUEST");
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private static JsonNode last(List<JsonNode> events, String action, String result) {
        return events.stream().filter(e -> e.path("action").asText().equals(action)
                        && e.path("result").asText().equals(result)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + action + " " + result + " event in " + events));
    }

    /** A PEM's full 64-character base64 lines: a leak, even JSON-escaped, shows at least one of them. */
    private static List<String> pemLines(String pem) {
        List<String> lines = new ArrayList<>();
        for (String line : pem.split("\n")) {
            if (line.strip().length() == 64) {
                lines.add(line.strip());
            }
        }
        assertThat(lines).as("base64 lines of " + pem).isNotEmpty();
        return lines;
    }

    private static ZmqCaClient client(String endpoint) {
        return new ZmqCaClient(endpoint, t -> Duration.ofSeconds(30), 0, new WireCodec());
    }
}
