package io.upki.ra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.audit.AuditTrail;
import io.upki.ra.audit.RaAudit;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ra-core's audit trail with a real CA and crl-publisher on loopback: what administrators and clients
 * change and what they are refused is one JSON line each naming their certificate subject, and no key,
 * certificate, CSR or seed reaches the trail or any log line of the stack (RA registration included).
 */
class RaAuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void adminAndClientActionsAndRefusalsAreAuditedWithoutSecrets() throws Exception {
        Path file = dir.resolve("logs/audit.jsonl");
        String csr = TestKeys.csr(TestKeys.ec256(), "CN=audited.example.com", List.of("audited.example.com"));
        BigInteger serial;
        String admin;
        String client;
        String logs;
        try (LogCapture capture = LogCapture.start(); RaStack stack = new RaStack(dir)) {
            stack.startRa(RaConfig.Mode.DIRECT, new RaAudit(AuditTrail.open(file, "ra-core", Clock.systemUTC())));
            String base = "https://127.0.0.1:" + stack.ra.port();
            RaStack.Client adminId = stack.issue("admin.example.internal", "admin");
            RaStack.Client clientId = stack.issue("client-1.example.internal", "user");
            admin = adminId.certificate().getSubjectX500Principal().getName();
            client = clientId.certificate().getSubjectX500Principal().getName();

            HttpResponse<String> signed = RaStack.send(stack.https(adminId), "POST", base + "/api/v1/certificates",
                    "{\"csr\":" + JSON.valueToTree(csr) + ",\"profile\":\"server\"}");
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(201);
            serial = JSON.readTree(signed.body()).path("serial").bigIntegerValue();
            assertThat(RaStack.send(stack.https(adminId), "POST", base + "/api/v1/certificates/" + serial + "/revoke",
                    "{\"reason\":\"keyCompromise\"}").statusCode()).isEqualTo(200);
            assertThat(RaStack.send(stack.https(clientId), "POST", base + "/api/v1/certificates",
                    "{\"csr\":" + JSON.valueToTree(csr) + "}").statusCode()).isEqualTo(403);
            assertThat(RaStack.send(stack.https(null), "POST", base + "/api/v1/crl", null).statusCode()).isEqualTo(403);
            assertThat(RaStack.send(stack.https(adminId), "POST", base + "/api/v1/certificates/" + serial + "/revoke",
                    "{\"reason\":\"bored\"}").statusCode()).isEqualTo(400);
            assertThat(RaStack.send(stack.https(clientId), "POST", base + "/api/client/revoke",
                    "{\"reason\":\"superseded\"}").statusCode()).isEqualTo(200);
            logs = capture.text();
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.path("source").asText()).isEqualTo("ra-core");
            for (String field : List.of("time", "who", "action", "result")) {
                assertThat(event.path(field).asText()).as(field + " in " + line).isNotBlank();
            }
            events.add(event);
        }
        JsonNode revoke = find(events, "revoke", "ok");
        assertThat(revoke.path("who").asText()).isEqualTo(admin);
        assertThat(revoke.path("role").asText()).isEqualTo("admin");
        assertThat(revoke.path("serial").asText()).isEqualTo(serial.toString(16));
        assertThat(revoke.path("reason").asText()).isEqualTo("keyCompromise");
        assertThat(find(events, "sign", "ok").path("subject").asText()).isEqualTo("CN=audited.example.com");
        JsonNode notAdmin = find(events, "POST /api/v1/certificates", "refused");
        assertThat(notAdmin.path("who").asText()).isEqualTo(client);
        assertThat(notAdmin.path("status").asInt()).isEqualTo(403);
        assertThat(find(events, "POST /api/v1/crl", "refused").path("who").asText()).isEqualTo("unauthenticated");
        assertThat(find(events, "POST /api/v1/certificates/" + serial + "/revoke", "refused").path("reason").asText())
                .contains("invalid revocation reason");
        JsonNode own = find(events, "client-revoke", "ok");
        assertThat(own.path("who").asText()).isEqualTo(client);
        assertThat(own.path("role").asText()).isEqualTo("client");

        assertThat(logs).contains("\"loggerName\":\"upki.audit\"");
        String trail = Files.readString(file, StandardCharsets.UTF_8);
        for (String text : List.of(logs, trail)) {
            assertThat(text).doesNotContain("PRIVATE KEY", "BEGIN CERTIFICATE", "CERTIFICATE REQUEST", TestCa.SEED);
            for (String line : csr.split("\n")) {
                if (line.length() == 64) {
                    assertThat(text).doesNotContain(line);
                }
            }
        }
    }

    private static JsonNode find(List<JsonNode> events, String action, String result) {
        return events.stream().filter(e -> e.path("action").asText().equals(action)
                        && e.path("result").asText().equals(result)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " " + result + " event in " + events));
    }
}
