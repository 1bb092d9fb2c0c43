package io.upki.ra;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.testkit.Await;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ra-core in direct mode (it terminates mTLS itself) with a real CA and crl-publisher on loopback:
 * the route-by-role matrix, the user guide with curl and httpx, and the CA going away mid-traffic.
 */
class RaDirectModeTest {
    @RegisterExtension
    static final RaStack stack = RaStack.forClass(RaConfig.Mode.DIRECT);
    static String base;
    static RaStack.Client admin;
    static RaStack.Client client;
    static RaStack.Client revokedAdmin;
    static RaStack.Client expired;
    static RaStack.Client foreign;

    @BeforeAll
    static void start() throws Exception {
        base = "https://127.0.0.1:" + stack.ra.port();
        admin = stack.issue("admin.example.internal", "admin");
        client = stack.issue("client-1.example.internal", "user");
        revokedAdmin = stack.issue("former-admin.example.internal", "admin");
        expired = stack.expired("expired.example.internal");
        try (TestCa other = TestCa.start(stack.dir.resolve("other-ca"))) {
            KeyPairHolder.keys = TestKeys.ec256();
            var pem = other.client().sign(TestKeys.csr(KeyPairHolder.keys, "CN=admin.example.internal", List.of()), "admin")
                    .get("certificate").asText();
            Path key = Files.writeString(stack.dir.resolve("foreign.key"),
                    io.upki.pki.x509.Pem.encodePrivateKey(KeyPairHolder.keys.getPrivate(), null));
            Path crt = Files.writeString(stack.dir.resolve("foreign.crt"), pem);
            foreign = new RaStack.Client(KeyPairHolder.keys, io.upki.pki.x509.Pem.parseCertificate(pem), key, crt);
        }
        stack.ca.call(CaTask.REVOKE, CaClient.params().put("dn", "/CN=former-admin.example.internal")
                .put("reason", "cessationOfOperation"));
        stack.ca.call(CaTask.GENERATE_CRL, CaClient.params());
        waitUntil(() -> status(revokedAdmin, "GET", "/api/v1/health") == 403);
    }

    /** Holder so the static initialiser can keep the foreign key. */
    static final class KeyPairHolder {
        static java.security.KeyPair keys;
    }

    static int status(RaStack.Client who, String method, String path) throws Exception {
        return call(who, method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}").statusCode();
    }

    static HttpResponse<String> call(RaStack.Client who, String method, String path, String body) throws Exception {
        HttpClient http = stack.https(who);
        return RaStack.send(http, method, base + path, body);
    }

    static void waitUntil(Await.Condition condition) throws Exception {
        Await.until(Duration.ofSeconds(10), condition);
    }

    @Test
    void routeByRoleMatrix() throws Exception {
        // route -> expected status for: none, client, admin, revoked admin, expired, other CA. Every refusal
        // is 403 with its reason, a missing certificate included (the user guide's "403 Forbidden").
        record Row(String method, String path, int none, int client, int admin) {
        }
        List<Row> rows = List.of(
                new Row("GET", "/api/v1/public/health", 200, 200, 200),
                new Row("GET", "/api/v1/public/ca", 200, 200, 200),
                new Row("GET", "/api/v1/public/profiles", 200, 200, 200),
                new Row("GET", "/api/v1/health", 403, 403, 200),
                new Row("GET", "/api/v1/certificates", 403, 403, 200),
                new Row("GET", "/api/v1/admins", 403, 403, 200),
                new Row("GET", "/api/v1/profiles", 403, 403, 200),
                new Row("GET", "/api/v1/options", 403, 403, 200),
                new Row("GET", "/api/v1/nodes", 403, 403, 200),
                new Row("GET", "/api/client/certificate", 403, 200, 200),
                // Writes: an empty body passes the role check and then fails validation (400), never earlier.
                new Row("POST", "/api/v1/certificates", 403, 403, 400),
                new Row("POST", "/api/v1/certificates/1/revoke", 403, 403, 404),
                new Row("POST", "/api/v1/admins", 403, 403, 400),
                new Row("DELETE", "/api/v1/admins", 403, 403, 400),
                new Row("POST", "/api/client/renew", 403, 400, 400));
        List<String> failures = new ArrayList<>();
        for (Row row : rows) {
            check(failures, row.method(), row.path(), null, row.none(), "no_certificate");
            check(failures, row.method(), row.path(), client, row.client(), "not_admin");
            check(failures, row.method(), row.path(), admin, row.admin(), null);
            boolean isPublic = row.path().startsWith("/api/v1/public");
            check(failures, row.method(), row.path(), revokedAdmin, isPublic ? 200 : 403, "revoked");
            check(failures, row.method(), row.path(), expired, isPublic ? 200 : 403, "expired");
            check(failures, row.method(), row.path(), foreign, isPublic ? 200 : 403, "unknown_ca");
        }
        assertThat(failures).isEmpty();
    }

    /** @param reason the body's reason when the answer is 403 */
    private static void check(List<String> failures, String method, String path, RaStack.Client who, int expected,
                              String reason) throws Exception {
        HttpResponse<String> r = call(who, method, path, null);
        String name = who == null ? "none" : who.certificate().getSubjectX500Principal().getName();
        if (r.statusCode() != expected) {
            failures.add(method + " " + path + " as " + name + ": " + r.statusCode() + " (expected " + expected + ") " + r.body());
        } else if (expected == 403 && !r.body().contains("\"reason\":\"" + reason + "\"")) {
            failures.add(method + " " + path + " as " + name + ": 403 without reason " + reason + ": " + r.body());
        }
        if (r.statusCode() >= 400) {
            assertThat(r.body()).contains("\"status\":\"error\"").doesNotContain("Exception");
        }
    }

    @Test
    void aMethodOverrideHeaderNeverChangesTheRoute() throws Exception {
        HttpClient http = stack.https(admin);
        // GET named POST by the header: the list (GET), not an attempt to add an admin without a body (400).
        HttpResponse<String> get = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/admins"))
                .header("X-HTTP-Method-Override", "POST").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        // POST named DELETE: the admin is added (201), not a removal without its dn parameter (400).
        HttpResponse<String> post = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/admins"))
                .header("X-HTTP-Method-Override", "DELETE").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"dn\":\"/CN=override-test\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as(post.body()).isEqualTo(201);
        assertThat(call(admin, "GET", "/api/v1/admins", null).body()).contains("/CN=override-test");
        assertThat(call(admin, "DELETE", "/api/v1/admins?dn=/CN=override-test", null).statusCode()).isEqualTo(200);
    }

    @Test
    void privilegedProfilesAreAnOperatorActionNotTheRas() throws Exception {
        int before = stack.ca.client().call(io.upki.pki.wire.CaTask.LIST_NODES,
                io.upki.pki.caclient.CaClient.params()).size();
        for (String profile : List.of("admin", "ca", "ra", "sidecar")) {
            String csr = TestKeys.csr(TestKeys.ec256(), "CN=sneaky-" + profile + ".example.com", List.of());
            HttpResponse<String> r = call(admin, "POST", "/api/v1/certificates",
                    "{\"csr\":" + json(csr) + ",\"profile\":\"" + profile + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.body()).contains("is an operator action").contains("upki-cli generate --profile " + profile);
        }
        assertThat(stack.ca.client().call(io.upki.pki.wire.CaTask.LIST_NODES,
                io.upki.pki.caclient.CaClient.params()).size()).isEqualTo(before);
    }

    @Test
    void adminLifecycleThroughTheApi() throws Exception {
        String csr = TestKeys.csr(TestKeys.ec256(), "CN=api-made.example.com", List.of("api-made.example.com"));
        HttpResponse<String> signed = call(admin, "POST", "/api/v1/certificates",
                "{\"csr\":" + json(csr) + ",\"profile\":\"server\"}");
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(201);
        String serial = new com.fasterxml.jackson.databind.ObjectMapper().readTree(signed.body()).get("serial").asText();
        assertThat(call(admin, "GET", "/api/v1/certificates/" + serial, null).body()).contains("api-made.example.com");
        assertThat(call(admin, "GET", "/api/v1/certificates/api-made.example.com", null).statusCode()).isEqualTo(200);
        assertThat(call(admin, "GET", "/api/v1/certificates?cn=api-made.example.com", null).body()).contains(serial);
        assertThat(call(admin, "POST", "/api/v1/certificates/" + serial + "/renew", "{\"duration\":5}").statusCode()).isEqualTo(201);
        assertThat(call(admin, "POST", "/api/v1/certificates/" + serial + "/revoke", "{\"reason\":\"certificateHold\"}")
                .statusCode()).isEqualTo(200);
        assertThat(call(admin, "POST", "/api/v1/certificates/" + serial + "/unrevoke", null).statusCode()).isEqualTo(200);
        assertThat(call(admin, "POST", "/api/v1/crl", null).body()).contains("\"publisher_notified\":true");
        assertThat(call(admin, "POST", "/api/v1/admins", "{\"dn\":\"/CN=new-admin\"}").statusCode()).isEqualTo(201);
        assertThat(call(admin, "GET", "/api/v1/admins", null).body()).contains("/CN=new-admin");
        assertThat(call(admin, "DELETE", "/api/v1/admins?dn=/CN=new-admin", null).statusCode()).isEqualTo(200);
        // Bad input: a 400 with the reason, nothing changed.
        assertThat(call(admin, "POST", "/api/v1/certificates", "not json").statusCode()).isEqualTo(400);
        assertThat(call(admin, "POST", "/api/v1/certificates", "{\"csr\":5}").body()).contains("must be a string");
        assertThat(call(admin, "POST", "/api/v1/certificates", "{\"csr\":\"junk\"}").body()).contains("not a PEM");
        assertThat(call(admin, "POST", "/api/v1/certificates", "{\"csr\":" + json(csr) + ",\"profile\":\"nope\"}").body())
                .contains("Profile not found: nope");
        assertThat(call(admin, "POST", "/api/v1/certificates/" + serial + "/revoke", "{\"reason\":\"bored\"}").statusCode())
                .isEqualTo(400);
        assertThat(call(admin, "GET", "/api/v1/certificates/" + serial, null).body()).contains("\"is_revoked\":false");
        assertThat(call(admin, "GET", "/api/v1/certificates/999999", null).statusCode()).isEqualTo(404);
        // Over --max-body: the body is read to its end before the refusal, so the client gets the 413 and why.
        HttpResponse<String> tooLarge = call(admin, "POST", "/api/v1/certificates", "{\"csr\":\"" + "A".repeat(70_000) + "\"}");
        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("\"reason\":\"body_too_large\"").contains("65536");
    }

    @Test
    void clientsActOnTheirOwnCertificateOnly() throws Exception {
        RaStack.Client mine = stack.issue("renewing.example.internal", "user");
        assertThat(call(mine, "GET", "/api/client/certificate", null).body()).contains("renewing.example.internal");
        // A CSR for someone else's subject is refused.
        String other = TestKeys.csr(TestKeys.ec256(), "CN=client-1.example.internal", List.of());
        assertThat(call(mine, "POST", "/api/client/renew", "{\"csr\":" + json(other) + "}").statusCode()).isEqualTo(400);
        String same = TestKeys.csr(TestKeys.ec256(), "CN=renewing.example.internal", List.of());
        HttpResponse<String> renewed = call(mine, "POST", "/api/client/renew", "{\"csr\":" + json(same) + "}");
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(201);
        // The old certificate is superseded.
        var view = stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", mine.certificate().getSerialNumber()));
        assertThat(view.get("revoke_reason").asText()).isEqualTo("superseded");
        RaStack.Client leaving = stack.issue("leaving.example.internal", "user");
        assertThat(call(leaving, "POST", "/api/client/revoke", "{\"reason\":\"cessationOfOperation\"}").statusCode()).isEqualTo(200);
        assertThat(stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", client.certificate().getSerialNumber()))
                .get("is_revoked").asBoolean()).isFalse();
    }

    @Test
    void userGuideWithCurlAndHttpx() throws Exception {
        String url = base + "/api/v1/health";
        // Step 3: "Should return 200 OK".
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cert", admin.certFile().toString(),
                "--key", admin.keyFile().toString(), "--cacert", stack.caCrt.toString(), url)).isEqualTo("200");
        // Without a client certificate: "403 Forbidden", with the reason in the body.
        assertThat(run("curl", "-s", "-w", "\n%{http_code}", "--cacert", stack.caCrt.toString(), url))
                .endsWith("\n403").contains("\"reason\":\"no_certificate\"").contains("no client certificate");
        // Step 2, the Python client exactly as the guide shows it.
        String script = "import httpx\nclient = httpx.Client(cert=('" + admin.certFile() + "', '" + admin.keyFile()
                + "'), verify='" + stack.caCrt + "')\nresponse = client.get('" + url + "')\nprint(response.status_code)\n";
        assertThat(run("/usr/bin/python3", "-c", script)).isEqualTo("200");
        // After revoke + generate_crl, the same curl is refused.
        RaStack.Client guide = stack.issue("guide-admin.example.internal", "admin");
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cert", guide.certFile().toString(),
                "--key", guide.keyFile().toString(), "--cacert", stack.caCrt.toString(), url)).isEqualTo("200");
        stack.ca.call(CaTask.REVOKE, CaClient.params().put("dn", "/CN=guide-admin.example.internal").put("reason", "cessationOfOperation"));
        stack.ca.call(CaTask.GENERATE_CRL, CaClient.params());
        waitUntil(() -> run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cert", guide.certFile().toString(),
                "--key", guide.keyFile().toString(), "--cacert", stack.caCrt.toString(), url).equals("403"));
    }

    @Test
    void aCaThatGoesAwayGives503QuicklyAndTheRaRecoversAlone() throws Exception {
        assertThat(status(admin, "GET", "/api/v1/certificates")).isEqualTo(200);
        stack.ca.close();
        long t0 = System.nanoTime();
        HttpResponse<String> down = call(admin, "GET", "/api/v1/certificates", null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("the CA is unavailable");
        assertThat(ms).as("bounded by the CA timeout").isLessThan(6000);
        stack.startCa();
        waitUntil(() -> status(admin, "GET", "/api/v1/certificates") == 200);
    }

    static String json(String s) {
        return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(s).toString();
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
