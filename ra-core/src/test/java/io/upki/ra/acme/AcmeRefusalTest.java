package io.upki.ra.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.ra.RaConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every refusal of RFC 8555 the issue lists, each through real HTTPS against the ra-core in direct
 * mode, answered as a problem document of the right ACME type, and changing nothing; once with the
 * ACME store on SQLite and once on PostgreSQL.
 */
@ParameterizedClass(name = "ACME store on {0}")
@EnumSource(AcmeStoreEngine.class)
class AcmeRefusalTest {
    static final String ERR = "urn:ietf:params:acme:error:";
    @TempDir
    static Path dir;
    static AcmeStack stack;
    static ChallengeResponders.Http http;
    AcmeTestClient client;
    /** The engine of this run (also handed to {@link #start}). */
    @Parameter
    AcmeStoreEngine engine;

    @BeforeParameterizedClassInvocation
    static void start(AcmeStoreEngine engine) throws Exception {
        stack = new AcmeStack(Files.createDirectories(dir.resolve(engine.name())));
        stack.startRa(RaConfig.Mode.DIRECT, stack.settings(Map.of()).withStore(engine.freshStore()));
        http = new ChallengeResponders.Http(stack.httpPort);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        http.close();
        stack.close();
    }

    @BeforeEach
    void account() throws Exception {
        client = new AcmeTestClient(AcmeTestClient.trusting(stack.caCrt), stack.directory, AcmeTestClient.ec256());
        assertThat(client.newAccount().status()).isEqualTo(201);
    }

    @Test
    void badNonceIsRefusedWithAFreshNonceThatThenWorks() throws Exception {
        AcmeTestClient.Reply r = client.post(client.kid, null, AcmeTestClient.Tweaks.none().nonce("bm90LWEtbm9uY2U"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.type()).isEqualTo(ERR + "badNonce");
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        String fresh = r.header("Replay-Nonce");
        assertThat(fresh).isNotBlank();
        assertThat(client.post(client.kid, null, AcmeTestClient.Tweaks.none().nonce(fresh)).status()).isEqualTo(200);
    }

    @Test
    void aReplayedNonceIsRefused() throws Exception {
        String nonce = client.nonce();
        assertThat(client.post(client.kid, null, AcmeTestClient.Tweaks.none().nonce(nonce)).status()).isEqualTo(200);
        AcmeTestClient.Reply replay = client.post(client.kid, null, AcmeTestClient.Tweaks.none().nonce(nonce));
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.type()).isEqualTo(ERR + "badNonce");
    }

    @Test
    void aWrongSignatureIsRefused() throws Exception {
        AcmeTestClient.Reply r = AcmeFlows.newOrder(client, "dns", "x.example.internal");
        assertThat(r.status()).isEqualTo(201);
        AcmeTestClient.Reply bad = client.post(client.url("newOrder"),
                "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"y.example.internal\"}]}", AcmeTestClient.Tweaks.none().broken());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.type()).isEqualTo(ERR + "malformed");
        assertThat(bad.json().path("detail").asText()).contains("signature");
    }

    @Test
    void aUrlHeaderThatIsNotTheRequestUrlIsUnauthorized() throws Exception {
        AcmeTestClient.Reply r = client.post(client.url("newOrder"), "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"a.example.internal\"}]}",
                AcmeTestClient.Tweaks.none().url(client.kid));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.type()).isEqualTo(ERR + "unauthorized");
    }

    @Test
    void anUnknownAccountIsRefused() throws Exception {
        client.kid = client.kid.substring(0, client.kid.lastIndexOf('/') + 1) + "AAAAAAAAAAAAAAAAAAAAAA";
        AcmeTestClient.Reply r = AcmeFlows.newOrder(client, "dns", "a.example.internal");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.type()).isEqualTo(ERR + "accountDoesNotExist");
    }

    @Test
    void onlyReturnExistingForAnUnknownKeyIsAccountDoesNotExist() throws Exception {
        AcmeTestClient other = new AcmeTestClient(client.http, stack.directory, AcmeTestClient.ec256());
        AcmeTestClient.Reply r = other.newAccount(AcmeTestClient.JSON.createObjectNode().put("onlyReturnExisting", true));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.type()).isEqualTo(ERR + "accountDoesNotExist");
        AcmeTestClient.Reply same = client.newAccount(AcmeTestClient.JSON.createObjectNode().put("onlyReturnExisting", true));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.header("Location")).isEqualTo(client.kid);
    }

    @Test
    void finalizeBeforeReadyIsOrderNotReady() throws Exception {
        AcmeTestClient.Reply order = AcmeFlows.newOrder(client, "dns", "early.example.internal");
        AcmeTestClient.Reply r = AcmeFlows.finalizeOrder(client, order.header("Location"),
                AcmeFlows.csr("CN=early.example.internal", List.of("early.example.internal")));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.type()).isEqualTo(ERR + "orderNotReady");
        assertThat(order.header("Retry-After")).isNull();
        assertThat(client.post(order.header("Location"), null).header("Retry-After")).isEqualTo("1");
    }

    @Test
    void aCsrWithAnExtraNameIsBadCsr() throws Exception {
        String order = AcmeFlows.readyOrder(client, http, "dns", "extra.example.internal");
        AcmeTestClient.Reply r = AcmeFlows.finalizeOrder(client, order,
                AcmeFlows.csr("CN=extra.example.internal", List.of("extra.example.internal", "stolen.example.internal")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.type()).isEqualTo(ERR + "badCSR");
        assertThat(r.json().path("detail").asText()).contains("stolen.example.internal");
        assertThat(client.post(order, null).json().path("status").asText()).isEqualTo("ready");
    }

    @Test
    void aCsrWithAMissingNameIsBadCsr() throws Exception {
        String order = AcmeFlows.readyOrder(client, http, "dns", "m1.example.internal", "m2.example.internal");
        AcmeTestClient.Reply r = AcmeFlows.finalizeOrder(client, order,
                AcmeFlows.csr("CN=m1.example.internal", List.of("m1.example.internal")));
        assertThat(r.type()).isEqualTo(ERR + "badCSR");
        assertThat(r.json().path("detail").asText()).contains("missing [m2.example.internal]");
    }

    @Test
    void aCsrWithMoreThanACnInTheSubjectIsBadCsr() throws Exception {
        String order = AcmeFlows.readyOrder(client, http, "dns", "subject.example.internal");
        AcmeTestClient.Reply r = AcmeFlows.finalizeOrder(client, order,
                AcmeFlows.csr("CN=subject.example.internal,OU=Admins,O=Company", List.of("subject.example.internal")));
        assertThat(r.type()).isEqualTo(ERR + "badCSR");
    }

    @Test
    void http01WithTheWrongTokenContentMakesTheAuthorizationInvalid() throws Exception {
        AcmeTestClient.Reply order = AcmeFlows.newOrder(client, "dns", "wrong.example.internal");
        String authz = order.json().path("authorizations").get(0).asText();
        JsonNode ch = AcmeFlows.challenge(client, authz, "http-01");
        http.answers.put(ch.path("token").asText(), "some-other-token." + client.key.computeThumbprint());
        AcmeTestClient.Reply r = client.post(ch.path("url").asText(), "{}");
        assertThat(r.json().path("status").asText()).isEqualTo("invalid");
        assertThat(r.json().path("error").path("type").asText()).isEqualTo(ERR + "incorrectResponse");
        assertThat(client.post(authz, null).json().path("status").asText()).isEqualTo("invalid");
        assertThat(client.post(order.header("Location"), null).json().path("status").asText()).isEqualTo("invalid");
    }

    @Test
    void http01WithNothingListeningIsAConnectionProblem() throws Exception {
        AcmeTestClient.Reply order = AcmeFlows.newOrder(client, "dns", "silent.example.internal");
        JsonNode ch = AcmeFlows.challenge(client, order.json().path("authorizations").get(0).asText(), "tls-alpn-01");
        AcmeTestClient.Reply r = client.post(ch.path("url").asText(), "{}");
        assertThat(r.json().path("status").asText()).isEqualTo("invalid");
        assertThat(r.json().path("error").path("type").asText()).isEqualTo(ERR + "connection");
    }

    @Test
    void tlsAlpn01WithTheWrongCertificateMakesTheAuthorizationInvalid() throws Exception {
        AcmeTestClient.Reply order = AcmeFlows.newOrder(client, "dns", "alpn.example.internal");
        JsonNode ch = AcmeFlows.challenge(client, order.json().path("authorizations").get(0).asText(), "tls-alpn-01");
        var tls = new ChallengeResponders.TlsAlpn(stack.tlsPort, "alpn.example.internal",
                "wrong-token." + client.key.computeThumbprint());
        try {
            AcmeTestClient.Reply r = client.post(ch.path("url").asText(), "{}");
            assertThat(r.json().path("status").asText()).as(r.raw().body()).isEqualTo("invalid");
            assertThat(r.json().path("error").path("type").asText()).isEqualTo(ERR + "incorrectResponse");
        } finally {
            tls.close();
        }
    }

    @Test
    void tlsAlpn01WithTheRightCertificateIsValid() throws Exception {
        AcmeTestClient.Reply order = AcmeFlows.newOrder(client, "dns", "alpn-ok.example.internal");
        JsonNode ch = AcmeFlows.challenge(client, order.json().path("authorizations").get(0).asText(), "tls-alpn-01");
        var tls = new ChallengeResponders.TlsAlpn(stack.tlsPort, "alpn-ok.example.internal",
                AcmeFlows.keyAuthorization(client.key, ch.path("token").asText()));
        try {
            AcmeTestClient.Reply r = client.post(ch.path("url").asText(), "{}");
            assertThat(r.json().path("status").asText()).as(r.raw().body()).isEqualTo("valid");
        } finally {
            tls.close();
        }
    }

    @Test
    void aDeactivatedAccountCanDoNothing() throws Exception {
        AcmeTestClient.Reply d = client.post(client.kid, "{\"status\":\"deactivated\"}");
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.json().path("status").asText()).isEqualTo("deactivated");
        AcmeTestClient.Reply r = AcmeFlows.newOrder(client, "dns", "late.example.internal");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.type()).isEqualTo(ERR + "unauthorized");
        // nor can its key register again or look the account up
        assertThat(client.newAccount(AcmeTestClient.JSON.createObjectNode().put("onlyReturnExisting", true)).type())
                .isEqualTo(ERR + "unauthorized");
    }

    @Test
    void noneAndMacAlgorithmsAreRefused() throws Exception {
        AcmeTestClient.Reply hs = client.post(client.kid, null, AcmeTestClient.Tweaks.none().hmac("HS256"));
        assertThat(hs.status()).isEqualTo(400);
        assertThat(hs.type()).isEqualTo(ERR + "badSignatureAlgorithm");
        assertThat(hs.json().path("algorithms").toString()).contains("ES256", "RS256");
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"alg\":\"none\",\"kid\":\""
                + client.kid + "\",\"nonce\":\"" + client.nonce() + "\",\"url\":\"" + client.kid + "\"}").getBytes());
        HttpResponse<String> none = client.http.send(HttpRequest.newBuilder(URI.create(client.kid))
                .header("Content-Type", "application/jose+json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"protected\":\"" + header + "\",\"payload\":\"\",\"signature\":\"\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains(ERR + "badSignatureAlgorithm");
    }

    @Test
    void jwkAndKidAreUsedWhereRfc8555SaysOnly() throws Exception {
        AcmeTestClient.Reply jwkOnOrder = client.post(client.url("newOrder"),
                "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"k.example.internal\"}]}", AcmeTestClient.Tweaks.none().jwk());
        assertThat(jwkOnOrder.type()).isEqualTo(ERR + "malformed");
        AcmeTestClient.Reply kidOnNewAccount = client.post(client.url("newAccount"), "{}");
        assertThat(kidOnNewAccount.type()).isEqualTo(ERR + "malformed");
    }

    @Test
    void wrongContentTypeAndOversizedBodiesAreRefused() throws Exception {
        HttpResponse<String> json = client.http.send(HttpRequest.newBuilder(URI.create(client.url("newOrder")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(415);
        // Refused from the Content-Length before the body is read: the answer is a 413 problem, unless the
        // server's close while the client is still uploading resets the connection first; either way
        // nothing is processed and the server keeps serving.
        try {
            HttpResponse<String> big = client.http.send(HttpRequest.newBuilder(URI.create(client.url("newOrder")))
                    .header("Content-Type", "application/jose+json").timeout(java.time.Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(70_000))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(big.body()).doesNotContain("Exception").doesNotContain("at io.");
        } catch (java.io.IOException reset) {
            // the connection was closed mid-upload
        }
        assertThat(client.post(client.kid, null).status()).isEqualTo(200);
    }

    @Test
    void anotherAccountCannotReadMyOrder() throws Exception {
        AcmeTestClient.Reply order = AcmeFlows.newOrder(client, "dns", "mine.example.internal");
        AcmeTestClient other = new AcmeTestClient(client.http, stack.directory, AcmeTestClient.ec256());
        other.newAccount();
        AcmeTestClient.Reply r = other.post(order.header("Location"), null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.type()).isEqualTo(ERR + "unauthorized");
    }

    @Test
    void identifiersThatCannotBeCertifiedAreRejected() throws Exception {
        assertThat(AcmeFlows.newOrder(client, "dns", "localhost").type()).isEqualTo(ERR + "rejectedIdentifier");
        assertThat(AcmeFlows.newOrder(client, "dns", "bad_name!.example").type()).isEqualTo(ERR + "rejectedIdentifier");
        assertThat(AcmeFlows.newOrder(client, "email", "a@b.example").type()).isEqualTo(ERR + "unsupportedIdentifier");
        assertThat(AcmeFlows.newOrder(client, "dns", "10.0.0.1").type()).isEqualTo(ERR + "rejectedIdentifier");
    }
}
