package io.upki.ra.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.acme.audit.AcmeAudit;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.audit.AuditTrail;
import io.upki.pki.x509.Pem;
import io.upki.ra.LogCapture;
import io.upki.ra.RaConfig;
import io.upki.ra.audit.RaAudit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACME issuance and revocation in the ra-core's audit trail: each names the account that acted and the
 * certificate's serial, another account's revocation attempt is a refusal naming that account, and the
 * CSR, the certificate and the keys stay out of the trail and of every log line.
 */
class AcmeAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void issuanceAndRevocationNameTheAccountAndTheSerial() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        KeyPair certKeys = TestKeys.ec256();
        String csr = AcmeFlows.csr(certKeys, "CN=acme-audit.example.internal", List.of("acme-audit.example.internal"));
        X509Certificate cert;
        String account;
        String intruder;
        String logs;
        try (LogCapture capture = LogCapture.start(); AcmeStack stack = new AcmeStack(dir);
             ChallengeResponders.Http http = new ChallengeResponders.Http(stack.httpPort)) {
            stack.startRa(RaConfig.Mode.DIRECT, stack.settings(Map.of()), "ra",
                    new RaAudit(AuditTrail.open(file, "ra-core", Clock.systemUTC())));
            AcmeTestClient c = new AcmeTestClient(AcmeTestClient.trusting(stack.caCrt), stack.directory, AcmeTestClient.ec256());
            assertThat(c.newAccount().status()).isEqualTo(201);
            String order = AcmeFlows.readyOrder(c, http, "dns", "acme-audit.example.internal");
            AcmeTestClient.Reply done = AcmeFlows.finalizeOrder(c, order, csr);
            assertThat(done.status()).as(done.raw().body()).isEqualTo(200);
            cert = Pem.parseCertificate(c.post(done.json().path("certificate").asText(), null).raw().body());

            String payload = JSON.createObjectNode().put("certificate",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(cert.getEncoded())).put("reason", 1).toString();
            AcmeTestClient other = new AcmeTestClient(c.http, stack.directory, AcmeTestClient.ec256());
            assertThat(other.newAccount().status()).isEqualTo(201);
            assertThat(other.post(c.url("revokeCert"), payload).status()).isEqualTo(403);
            assertThat(c.post(c.url("revokeCert"), payload).status()).isEqualTo(200);
            account = AcmeAudit.account(c.kid.substring(c.kid.lastIndexOf('/') + 1));
            intruder = AcmeAudit.account(other.kid.substring(other.kid.lastIndexOf('/') + 1));
            logs = capture.text();
        }

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            events.add(JSON.readTree(line));
        }
        String serial = cert.getSerialNumber().toString(16);
        JsonNode issued = find(events, "acme-issue", "ok");
        assertThat(issued.path("who").asText()).isEqualTo(account);
        assertThat(issued.path("serial").asText()).isEqualTo(serial);
        assertThat(issued.path("subject").asText()).isEqualTo("CN=acme-audit.example.internal");
        JsonNode refused = find(events, "acme-revoke", "refused");
        assertThat(refused.path("who").asText()).isEqualTo(intruder);
        JsonNode revoked = find(events, "acme-revoke", "ok");
        assertThat(revoked.path("who").asText()).isEqualTo(account);
        assertThat(revoked.path("serial").asText()).isEqualTo(serial);
        assertThat(revoked.path("reason").asText()).isEqualTo("keyCompromise");
        assertThat(find(events, "acme-new-account", "ok").path("who").asText()).isEqualTo(account);

        String trail = Files.readString(file, StandardCharsets.UTF_8);
        String certificate = Base64.getEncoder().encodeToString(cert.getEncoded());
        for (String text : List.of(logs, trail)) {
            assertThat(text).doesNotContain("PRIVATE KEY", "BEGIN CERTIFICATE", "CERTIFICATE REQUEST", TestCa.SEED,
                    csr.substring(0, 64), certificate.substring(64, 128));
        }
    }

    private static JsonNode find(List<JsonNode> events, String action, String result) {
        return events.stream().filter(e -> e.path("action").asText().equals(action)
                        && e.path("result").asText().equals(result)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " " + result + " event in " + events));
    }
}
