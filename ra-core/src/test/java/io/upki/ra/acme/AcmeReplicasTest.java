package io.upki.ra.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.acme.config.AcmeSettings;
import io.upki.acme.db.StoreLocation;
import io.upki.pki.x509.Pem;
import io.upki.ra.RaConfig;
import io.upki.ra.RaServer;
import io.upki.ra.audit.RaAudit;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ra-core replicas on one PostgreSQL ACME store and one CA, as behind one proxy (both build URLs from
 * the same external base URL): an order created on replica A is validated and finalized on replica B and
 * its certificate fetched from A; a nonce either replica issued is accepted by the other exactly once.
 * The requests really go to the replica named: each is sent to that replica's port, signed for the
 * shared URL, with a nonce fetched from A's new-nonce.
 */
class AcmeReplicasTest {
    static final String ERR = "urn:ietf:params:acme:error:";
    @TempDir
    static Path dir;
    static AcmeStack stack;
    static ChallengeResponders.Http http;
    static RaServer a;
    static RaServer b;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        stack = new AcmeStack(dir);
        StoreLocation shared = AcmeStoreEngine.POSTGRESQL.freshStore();
        int portA = AcmeStack.freePort();
        base = "https://127.0.0.1:" + portA;
        AcmeSettings settings = stack.settings(Map.of(), base).withStore(shared);
        a = stack.startRa(RaConfig.Mode.DIRECT, settings, "ra-a", RaAudit.logOnly(stack.clock), portA);
        b = stack.startRa(RaConfig.Mode.DIRECT, settings, "ra-b", RaAudit.logOnly(stack.clock), 0);
        http = new ChallengeResponders.Http(stack.httpPort);
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Sends a request for the shared {@code url} to {@code replica}, signed for {@code url}. */
    static AcmeTestClient.Reply on(RaServer replica, AcmeTestClient c, String url, String payload,
                                   AcmeTestClient.Tweaks t) throws Exception {
        assertThat(url).startsWith(base + "/acme/");
        return c.post("https://127.0.0.1:" + replica.port() + url.substring(base.length()), payload, t.url(url));
    }

    static AcmeTestClient.Reply on(RaServer replica, AcmeTestClient c, String url, String payload) throws Exception {
        return on(replica, c, url, payload, AcmeTestClient.Tweaks.none());
    }

    static AcmeTestClient client() throws Exception {
        AcmeTestClient c = new AcmeTestClient(AcmeTestClient.trusting(stack.caCrt), base + "/acme/directory",
                AcmeTestClient.ec256());
        assertThat(c.url("newNonce")).startsWith(base); // the directory, and every nonce the client asks for, is A's
        return c;
    }

    @Test
    void anOrderCreatedOnOneReplicaIsValidatedAndFinalizedOnTheOther() throws Exception {
        AcmeTestClient c = client();
        AcmeTestClient.Reply account = on(a, c, c.url("newAccount"), "{\"termsOfServiceAgreed\":true}",
                AcmeTestClient.Tweaks.none().jwk());
        assertThat(account.status()).as(account.raw().body()).isEqualTo(201);
        c.kid = account.header("Location");
        AcmeTestClient.Reply order = on(a, c, c.url("newOrder"),
                "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"replicated.example.internal\"}]}");
        assertThat(order.status()).as(order.raw().body()).isEqualTo(201);
        String orderUrl = order.header("Location");

        String authzUrl = order.json().path("authorizations").get(0).asText();
        JsonNode challenge = null;
        for (JsonNode ch : on(b, c, authzUrl, null).json().path("challenges")) {
            if (ch.path("type").asText().equals("http-01")) {
                challenge = ch;
            }
        }
        assertThat(challenge).as("B serves the authorization A created").isNotNull();
        String token = challenge.path("token").asText();
        http.answers.put(token, AcmeFlows.keyAuthorization(c.key, token));
        int hitsBefore = http.hits.get();
        AcmeTestClient.Reply answered = on(b, c, challenge.path("url").asText(), "{}");
        assertThat(answered.json().path("status").asText()).as(answered.raw().body()).isEqualTo("valid");
        assertThat(http.hits.get()).as("B validated the challenge itself").isGreaterThan(hitsBefore);
        assertThat(on(a, c, orderUrl, null).json().path("status").asText()).as("A sees what B stored").isEqualTo("ready");

        AcmeTestClient.Reply finalized = on(b, c, orderUrl + "/finalize", AcmeTestClient.JSON.createObjectNode()
                .put("csr", AcmeFlows.csr("CN=replicated.example.internal", List.of("replicated.example.internal")))
                .toString());
        assertThat(finalized.status()).as(finalized.raw().body()).isEqualTo(200);
        assertThat(finalized.json().path("status").asText()).isEqualTo("valid");
        String certUrl = finalized.json().path("certificate").asText();

        AcmeTestClient.Reply download = on(a, c, certUrl, null);
        assertThat(download.status()).as(download.raw().body()).isEqualTo(200);
        X509Certificate leaf = Pem.parseCertificate(download.raw().body());
        assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
                .containsExactly("replicated.example.internal");
        assertThat(on(a, c, orderUrl + "/finalize", AcmeTestClient.JSON.createObjectNode()
                .put("csr", AcmeFlows.csr("CN=replicated.example.internal", List.of("replicated.example.internal")))
                .toString()).type()).as("finalized once, on whichever replica").isEqualTo(ERR + "orderNotReady");
    }

    @Test
    void aNonceFromOneReplicaIsAcceptedByTheOtherExactlyOnce() throws Exception {
        AcmeTestClient c = client();
        c.kid = on(a, c, c.url("newAccount"), "{\"termsOfServiceAgreed\":true}", AcmeTestClient.Tweaks.none().jwk())
                .header("Location");
        String fromA = c.nonce();
        AcmeTestClient.Reply first = on(b, c, c.kid, null, AcmeTestClient.Tweaks.none().nonce(fromA));
        assertThat(first.status()).as(first.raw().body()).isEqualTo(200);
        AcmeTestClient.Reply replayOnB = on(b, c, c.kid, null, AcmeTestClient.Tweaks.none().nonce(fromA));
        assertThat(replayOnB.type()).isEqualTo(ERR + "badNonce");
        AcmeTestClient.Reply replayOnA = on(a, c, c.kid, null, AcmeTestClient.Tweaks.none().nonce(fromA));
        assertThat(replayOnA.type()).isEqualTo(ERR + "badNonce");

        // the other way round: the fresh nonce B sent along with its badNonce is good on A, once
        String fromB = replayOnB.header("Replay-Nonce");
        assertThat(fromB).isNotNull();
        assertThat(on(a, c, c.kid, null, AcmeTestClient.Tweaks.none().nonce(fromB)).status()).isEqualTo(200);
        assertThat(on(b, c, c.kid, null, AcmeTestClient.Tweaks.none().nonce(fromB)).type()).isEqualTo(ERR + "badNonce");
    }
}
