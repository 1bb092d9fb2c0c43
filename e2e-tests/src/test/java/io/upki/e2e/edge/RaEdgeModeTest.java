package io.upki.e2e.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.pki.assertion.AssertionSigner;
import io.upki.pki.assertion.Identity;
import io.upki.pki.trust.Role;
import io.upki.ra.RaConfig;
import io.upki.ra.RaStack;
import io.upki.sidecar.Sidecar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ra-core in edge mode behind a real auth-sidecar: a request is authenticated only by a valid
 * assertion for its own method and URI; forged headers, forged, expired or replayed assertions get 403
 * with a reason. (FORWARD-AUTH.md section 3 says 401 for forged headers; section 2 and the user guide make
 * every refusal 403, and 401 would call for an HTTP authentication scheme the RA does not have.)
 */
class RaEdgeModeTest {
    @RegisterExtension
    static final RaStack stack = RaStack.forClass(RaConfig.Mode.EDGE);
    static Sidecar sidecar;
    static Sidecar lateSidecar;
    static Sidecar slowSidecar;
    static String ra;
    static HttpClient http = HttpClient.newHttpClient();
    static RaStack.Client admin;
    static RaStack.Client client;

    @BeforeAll
    static void start() throws Exception {
        ra = "http://127.0.0.1:" + stack.ra.port();
        sidecar = stack.closeAfter(EdgeSidecars.register(stack, "edge-sidecar", Clock.systemUTC()));
        // A sidecar whose clock is a minute behind: its assertions are already expired for the RA.
        lateSidecar = stack.closeAfter(EdgeSidecars.register(stack, "late-sidecar",
                Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-60))));
        // One 15 s behind: its assertions are within their 30 s lifetime, too old for an unsafe method.
        slowSidecar = stack.closeAfter(EdgeSidecars.register(stack, "slow-sidecar",
                Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-15))));
        admin = stack.issue("admin.example.internal", "admin");
        client = stack.issue("client.example.internal", "user");
    }

    /** What Traefik does: ask the sidecar, then forward the request with the headers it returned. */
    static HttpResponse<String> throughEdge(Sidecar via, RaStack.Client who, String method, String uri) throws Exception {
        HttpResponse<String> auth = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + via.port() + "/auth/traefik"))
                .header("X-Forwarded-Tls-Client-Cert", Base64.getEncoder().encodeToString(who.certificate().getEncoded()))
                .header("X-Forwarded-Method", method).header("X-Forwarded-Uri", uri).build(), HttpResponse.BodyHandlers.ofString());
        if (auth.statusCode() != 200) {
            return auth;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ra + uri)).method(method, HttpRequest.BodyPublishers.noBody());
        for (String h : List.of("X-Upki-Client-Subject", "X-Upki-Client-Serial", "X-Upki-Client-Fingerprint",
                "X-Upki-Client-Role", "X-Upki-Assertion")) {
            auth.headers().firstValue(h).filter(v -> !v.isEmpty()).ifPresent(v -> b.header(h, v));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sidecar's answer for {@code who} making {@code method uri}: its assertion in a 200. */
    static HttpResponse<String> auth(Sidecar via, RaStack.Client who, String method, String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + via.port() + "/auth/traefik"))
                .header("X-Forwarded-Tls-Client-Cert", Base64.getEncoder().encodeToString(who.certificate().getEncoded()))
                .header("X-Forwarded-Method", method).header("X-Forwarded-Uri", uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code method uri} with a JSON body straight to ra-core, carrying {@code assertion}. */
    static HttpResponse<String> send(String method, String uri, String assertion, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ra + uri)).header("X-Upki-Assertion", assertion)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> direct(String uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ra + uri));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A 403 whose JSON body names {@code reason}. */
    static void refused(HttpResponse<String> r, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("\"status\":\"error\"").contains("\"reason\":\"" + reason + "\"");
    }

    @Test
    void throughTheSidecarRolesApply() throws Exception {
        assertThat(throughEdge(sidecar, admin, "GET", "/api/v1/health").statusCode()).isEqualTo(200);
        assertThat(throughEdge(sidecar, client, "GET", "/api/client/certificate").statusCode()).isEqualTo(200);
        // The sidecar itself refuses a client on the admin API.
        assertThat(throughEdge(sidecar, client, "GET", "/api/v1/health").statusCode()).isEqualTo(403);
        assertThat(direct("/api/v1/public/health", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void forgedIdentityHeadersWithoutAnAssertionAreRefusedAsNoCertificate() throws Exception {
        HttpResponse<String> r = direct("/api/v1/health", Map.of("X-Upki-Client-Role", "admin",
                "X-Upki-Client-Subject", "CN=admin.example.internal", "X-Upki-Client-Serial", "1"));
        refused(r, "no_certificate");
        assertThat(r.body()).contains("no client certificate");
        refused(direct("/api/client/certificate", Map.of()), "no_certificate");
    }

    @Test
    void anAssertionReplayedOnAnotherUriOrMethodIsRefused() throws Exception {
        HttpResponse<String> auth = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port() + "/auth/traefik"))
                .header("X-Forwarded-Tls-Client-Cert", Base64.getEncoder().encodeToString(admin.certificate().getEncoded()))
                .header("X-Forwarded-Method", "GET").header("X-Forwarded-Uri", "/api/v1/health").build(),
                HttpResponse.BodyHandlers.ofString());
        String token = auth.headers().firstValue("X-Upki-Assertion").orElseThrow();
        assertThat(direct("/api/v1/health", Map.of("X-Upki-Assertion", token)).statusCode()).isEqualTo(200);
        refused(direct("/api/v1/admins", Map.of("X-Upki-Assertion", token)), "invalid_assertion");
        refused(direct("/api/v1/health?x=1", Map.of("X-Upki-Assertion", token)), "invalid_assertion");
        refused(http.send(HttpRequest.newBuilder(URI.create(ra + "/api/v1/health")).header("X-Upki-Assertion", token)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()), "invalid_assertion");
    }

    @Test
    void anExpiredAssertionIsRefused() throws Exception {
        refused(throughEdge(lateSidecar, admin, "GET", "/api/v1/health"), "invalid_assertion");
    }

    @Test
    void anAssertionSignedWithAClientCertificateIsRefused() throws Exception {
        AssertionSigner forger = new AssertionSigner(admin.keys().getPrivate(), List.of(admin.certificate()),
                Clock.systemUTC(), Duration.ofSeconds(30));
        String forged = forger.sign(new Identity("CN=admin.example.internal",
                admin.certificate().getSerialNumber().toString(16), "x", Role.ADMIN, "1"), "GET", "/api/v1/health");
        refused(direct("/api/v1/health", Map.of("X-Upki-Assertion", forged)), "invalid_assertion");
        refused(direct("/api/v1/health", Map.of("X-Upki-Assertion", "garbage.garbage.garbage")), "invalid_assertion");
    }

    @Test
    void anAssertionForPostCannotBeReplayedWithAnotherBody() throws Exception {
        // Issue #16 L1: the body is not bound to the assertion (forward-auth never sees it), so an assertion
        // for an unsafe method is good once. The sidecar signs a fresh one for each such request.
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tokens.add(auth(sidecar, admin, "POST", "/api/v1/admins").headers().firstValue("X-Upki-Assertion").orElseThrow());
        }
        assertThat(java.util.Set.copyOf(tokens)).as("each POST gets its own assertion, never a kept one").hasSize(3);
        String first = tokens.get(1);
        String second = tokens.get(2);
        HttpResponse<String> added = send("POST", "/api/v1/admins", first, "{\"dn\":\"/CN=replay-legit\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        // The captured assertion, replayed at once with another body: refused, nothing added.
        refused(send("POST", "/api/v1/admins", first, "{\"dn\":\"/CN=replay-attacker\"}"), "invalid_assertion");
        // The second, legitimately made for the same request, still works once.
        HttpResponse<String> again = send("POST", "/api/v1/admins", second, "{\"dn\":\"/CN=replay-legit-2\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        String list = auth(sidecar, admin, "GET", "/api/v1/admins").headers().firstValue("X-Upki-Assertion").orElseThrow();
        String admins = direct("/api/v1/admins", Map.of("X-Upki-Assertion", list)).body();
        assertThat(admins).contains("/CN=replay-legit", "/CN=replay-legit-2").doesNotContain("replay-attacker");
    }

    @Test
    void anAssertionForPostIsRefusedOnceOlderThanItsShortBound() throws Exception {
        // 15 s old: well within the 30 s lifetime a GET may use, past the 5 s (+2 s leeway) of a POST.
        HttpResponse<String> auth = auth(slowSidecar, admin, "POST", "/api/v1/admins");
        String old = auth.headers().firstValue("X-Upki-Assertion").orElseThrow();
        refused(send("POST", "/api/v1/admins", old, "{\"dn\":\"/CN=too-late\"}"), "invalid_assertion");
        assertThat(throughEdge(slowSidecar, admin, "GET", "/api/v1/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anAssertionForGetIsReusedForIdenticalRequests() throws Exception {
        // The sidecar's deliberate reuse (a client seen before gets the kept assertion) keeps working.
        auth(sidecar, admin, "GET", "/api/v1/profiles");
        String kept = auth(sidecar, admin, "GET", "/api/v1/profiles").headers().firstValue("X-Upki-Assertion").orElseThrow();
        assertThat(auth(sidecar, admin, "GET", "/api/v1/profiles").headers().firstValue("X-Upki-Assertion")).hasValue(kept);
        for (int i = 0; i < 3; i++) {
            assertThat(direct("/api/v1/profiles", Map.of("X-Upki-Assertion", kept)).statusCode()).isEqualTo(200);
        }
    }
}
