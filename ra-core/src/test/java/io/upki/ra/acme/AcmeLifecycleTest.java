package io.upki.ra.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import io.upki.acme.config.AcmeSettings;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.ra.RaConfig;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Accounts, orders and certificates over their life with the nimbus test client against the real
 * stack: RS256/ES384 keys, contact update, key rollover, IP identifiers, POST-as-GET download,
 * revocation by the certificate's key, renewal information (RFC 9773), expiry, and a restart; once with
 * the ACME store on SQLite and once on PostgreSQL.
 */
@ParameterizedClass(name = "ACME store on {0}")
@EnumSource(AcmeStoreEngine.class)
class AcmeLifecycleTest {
    static final String ERR = "urn:ietf:params:acme:error:";
    @TempDir
    static Path dir;
    static AcmeStack stack;
    static AcmeSettings settings;
    static ChallengeResponders.Http http;
    /** The engine of this run (also handed to {@link #start}). */
    @Parameter
    AcmeStoreEngine engine;

    @BeforeParameterizedClassInvocation
    static void start(AcmeStoreEngine engine) throws Exception {
        stack = new AcmeStack(Files.createDirectories(dir.resolve(engine.name())));
        settings = stack.settings(Map.of()).withStore(engine.freshStore());
        stack.startRa(RaConfig.Mode.DIRECT, settings);
        http = new ChallengeResponders.Http(stack.httpPort);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        http.close();
        stack.close();
    }

    static AcmeTestClient client(JWK key) throws Exception {
        AcmeTestClient c = new AcmeTestClient(AcmeTestClient.trusting(stack.caCrt), stack.directory, key);
        assertThat(c.newAccount(AcmeTestClient.JSON.createObjectNode().put("termsOfServiceAgreed", true)
                .set("contact", AcmeTestClient.JSON.createArrayNode().add("mailto:ops@example.internal"))).status()).isEqualTo(201);
        return c;
    }

    @Test
    void theDirectoryListsEveryResourceAndMeta() throws Exception {
        AcmeTestClient c = new AcmeTestClient(AcmeTestClient.trusting(stack.caCrt), stack.directory, AcmeTestClient.ec256());
        for (String name : List.of("newNonce", "newAccount", "newOrder", "revokeCert", "keyChange", "renewalInfo")) {
            assertThat(c.directory.path(name).asText()).startsWith("https://127.0.0.1:");
        }
        assertThat(c.directory.path("meta").path("externalAccountRequired").asBoolean(true)).isFalse();
        HttpResponse<Void> get = c.http.send(HttpRequest.newBuilder(URI.create(c.url("newNonce"))).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(get.statusCode()).isEqualTo(204);
        assertThat(get.headers().firstValue("Replay-Nonce")).isPresent();
        assertThat(get.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void rs256AndEs384AccountsIssueCertificates() throws Exception {
        for (JWK key : List.of(AcmeTestClient.rsa2048(), AcmeTestClient.ec384())) {
            AcmeTestClient c = client(key);
            String name = "k" + key.getKeyType().getValue().toLowerCase() + ".example.internal";
            String order = AcmeFlows.readyOrder(c, http, "dns", name);
            AcmeTestClient.Reply done = AcmeFlows.finalizeOrder(c, order, AcmeFlows.csr("CN=" + name, List.of(name)));
            assertThat(done.json().path("status").asText()).as(done.raw().body()).isEqualTo("valid");
        }
    }

    @Test
    void ipIdentifiersAreValidatedAndIssued() throws Exception {
        AcmeTestClient c = client(AcmeTestClient.ec256());
        String order = AcmeFlows.readyOrder(c, http, "ip", "127.0.0.1");
        AcmeTestClient.Reply done = AcmeFlows.finalizeOrder(c, order, AcmeFlows.csr("", List.of("127.0.0.1")));
        assertThat(done.json().path("status").asText()).as(done.raw().body()).isEqualTo("valid");
        AcmeTestClient.Reply pem = c.post(done.json().path("certificate").asText(), null);
        assertThat(pem.header("Content-Type")).startsWith("application/pem-certificate-chain");
        X509Certificate cert = Pem.parseCertificate(pem.raw().body());
        assertThat(List.copyOf(cert.getSubjectAlternativeNames().iterator().next())).isEqualTo(List.of(7, "127.0.0.1"));
        assertThat(Pem.parseCertificates(pem.raw().body())).hasSize(2);
        // an IP cannot be proven by dns-01 (RFC 8738 section 7)
        JsonNode authz = c.post(AcmeFlows.newOrder(c, "ip", "127.0.0.2").json().path("authorizations").get(0).asText(), null).json();
        assertThat(authz.path("challenges").findValuesAsText("type")).containsExactlyInAnyOrder("http-01", "tls-alpn-01");
    }

    @Test
    void wildcardsOfferOnlyDns01() throws Exception {
        AcmeTestClient c = client(AcmeTestClient.ec256());
        AcmeTestClient.Reply order = AcmeFlows.newOrder(c, "dns", "*.wild.example.internal");
        JsonNode authz = c.post(order.json().path("authorizations").get(0).asText(), null).json();
        assertThat(authz.path("wildcard").asBoolean()).isTrue();
        assertThat(authz.path("identifier").path("value").asText()).isEqualTo("wild.example.internal");
        assertThat(authz.path("challenges").findValuesAsText("type")).containsExactly("dns-01");
    }

    @Test
    void contactsAreUpdatedAndValidated() throws Exception {
        AcmeTestClient c = client(AcmeTestClient.ec256());
        AcmeTestClient.Reply r = c.post(c.kid, "{\"contact\":[\"mailto:new@example.internal\"]}");
        assertThat(r.json().path("contact").get(0).asText()).isEqualTo("mailto:new@example.internal");
        assertThat(c.post(c.kid, "{\"contact\":[\"tel:+331234\"]}").type()).isEqualTo(ERR + "unsupportedContact");
        assertThat(c.post(c.kid, "{\"contact\":[\"mailto:a@b.example,c@d.example\"]}").type()).isEqualTo(ERR + "invalidContact");
        assertThat(c.post(c.kid, null).json().path("contact").get(0).asText()).isEqualTo("mailto:new@example.internal");
        assertThat(c.post(c.kid + "/orders", null).json().path("orders").isArray()).isTrue();
    }

    @Test
    void keyChangeMovesTheAccountToTheNewKey() throws Exception {
        AcmeTestClient c = client(AcmeTestClient.ec256());
        ECKey oldKey = (ECKey) c.key;
        ECKey newKey = AcmeTestClient.ec256();
        String url = c.url("keyChange");
        String innerPayload = AcmeTestClient.JSON.createObjectNode().put("account", c.kid)
                .set("oldKey", AcmeTestClient.JSON.readTree(oldKey.toPublicJWK().toJSONString())).toString();
        String inner = AcmeTestClient.sign(newKey, null, url, innerPayload, null, AcmeTestClient.Tweaks.none().jwk());
        AcmeTestClient.Reply r = c.post(url, inner);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(c.post(c.kid, null).type()).isEqualTo(ERR + "malformed"); // old key: signature no longer verifies
        c.key = newKey;
        assertThat(c.post(c.kid, null).status()).isEqualTo(200);
        // the old key now identifies no account
        AcmeTestClient old = new AcmeTestClient(c.http, stack.directory, oldKey);
        assertThat(old.newAccount(AcmeTestClient.JSON.createObjectNode().put("onlyReturnExisting", true)).type())
                .isEqualTo(ERR + "accountDoesNotExist");
        // a key in use by another account is a conflict naming it
        AcmeTestClient other = client(AcmeTestClient.ec256());
        String inner2 = AcmeTestClient.sign(newKey, null, url, AcmeTestClient.JSON.createObjectNode().put("account", other.kid)
                .set("oldKey", AcmeTestClient.JSON.readTree(other.key.toPublicJWK().toJSONString())).toString(), null,
                AcmeTestClient.Tweaks.none().jwk());
        AcmeTestClient.Reply conflict = other.post(url, inner2);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.header("Location")).isEqualTo(c.kid);
    }

    @Test
    void revocationByTheCertificateKeyRevokesAtTheCaAndRenewalInfoSaysRenewNow() throws Exception {
        AcmeTestClient c = client(AcmeTestClient.ec256());
        String order = AcmeFlows.readyOrder(c, http, "dns", "rev.example.internal");
        KeyPair certKeys = TestKeys.ec256();
        AcmeTestClient.Reply done = AcmeFlows.finalizeOrder(c, order, AcmeFlows.csr(certKeys, "CN=rev.example.internal",
                List.of("rev.example.internal")));
        X509Certificate cert = Pem.parseCertificate(c.post(done.json().path("certificate").asText(), null).raw().body());
        String certId = certId(cert);
        JsonNode before = ari(c, certId);
        assertThat(Instant.parse(before.path("suggestedWindow").path("start").asText())).isAfter(Instant.now());

        AcmeTestClient byKey = new AcmeTestClient(c.http, stack.directory, new ECKey.Builder(
                com.nimbusds.jose.jwk.Curve.P_256, (java.security.interfaces.ECPublicKey) certKeys.getPublic())
                .privateKey(certKeys.getPrivate()).build());
        String payload = AcmeTestClient.JSON.createObjectNode().put("certificate",
                Base64.getUrlEncoder().withoutPadding().encodeToString(cert.getEncoded())).put("reason", 1).toString();
        AcmeTestClient.Reply wrongKey = client(AcmeTestClient.ec256()).post(c.url("revokeCert"), payload);
        assertThat(wrongKey.type()).isEqualTo(ERR + "unauthorized");
        AcmeTestClient.Reply revoked = byKey.post(c.url("revokeCert"), payload, AcmeTestClient.Tweaks.none().jwk());
        assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);
        assertThat(stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", cert.getSerialNumber())).toString())
                .contains("revoked");
        assertThat(c.post(c.url("revokeCert"), payload).type()).isEqualTo(ERR + "alreadyRevoked");
        JsonNode after = ari(c, certId);
        assertThat(Instant.parse(after.path("suggestedWindow").path("end").asText())).isBefore(Instant.now());
        // the replacement order names the certificate it replaces (RFC 9773 section 5)
        String replacing = "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"rev.example.internal\"}],\"replaces\":\"" + certId + "\"}";
        AcmeTestClient.Reply next = c.post(c.url("newOrder"), replacing);
        assertThat(next.status()).as(next.raw().body()).isEqualTo(201);
        assertThat(next.json().path("replaces").asText()).isEqualTo(certId);
        assertThat(client(AcmeTestClient.ec256()).post(c.url("newOrder"), replacing).type()).isEqualTo(ERR + "malformed");
    }

    @Test
    void expiredNoncesOrdersAndAuthorizationsAreRefused() throws Exception {
        AcmeTestClient c = client(AcmeTestClient.ec256());
        String staleNonce = c.nonce();
        AcmeTestClient.Reply order = AcmeFlows.newOrder(c, "dns", "expire.example.internal");
        String authz = order.json().path("authorizations").get(0).asText();
        stack.clock.advance(Duration.ofHours(2)); // past nonce (30 min), order and authz (1 h) lifetimes
        AcmeTestClient.Reply r = c.post(c.kid, null, AcmeTestClient.Tweaks.none().nonce(staleNonce));
        assertThat(r.type()).isEqualTo(ERR + "badNonce");
        assertThat(c.post(order.header("Location"), null).json().path("status").asText()).isEqualTo("invalid");
        JsonNode a = c.post(authz, null).json();
        assertThat(a.path("status").asText()).isEqualTo("expired");
        JsonNode ch = a.path("challenges").get(0);
        http.answers.put(ch.path("token").asText(), AcmeFlows.keyAuthorization(c.key, ch.path("token").asText()));
        assertThat(c.post(ch.path("url").asText(), "{}").json().path("status").asText()).isEqualTo("pending");
        AcmeTestClient.Reply fin = AcmeFlows.finalizeOrder(c, order.header("Location"),
                AcmeFlows.csr("CN=expire.example.internal", List.of("expire.example.internal")));
        assertThat(fin.type()).isEqualTo(ERR + "orderNotReady");
    }

    @Test
    void accountsAndCertificatesSurviveARestart() throws Exception {
        AcmeTestClient c = client(AcmeTestClient.ec256());
        String order = AcmeFlows.readyOrder(c, http, "dns", "durable.example.internal");
        AcmeTestClient.Reply done = AcmeFlows.finalizeOrder(c, order, AcmeFlows.csr("CN=durable.example.internal",
                List.of("durable.example.internal")));
        String certUrl = done.json().path("certificate").asText();
        stack.ra.close();
        stack.ra = null;
        stack.startRa(RaConfig.Mode.DIRECT, settings);
        AcmeTestClient again = new AcmeTestClient(c.http, stack.directory, c.key);
        again.newAccount(AcmeTestClient.JSON.createObjectNode().put("onlyReturnExisting", true));
        assertThat(again.kid.substring(again.kid.indexOf("/acme/"))).isEqualTo(c.kid.substring(c.kid.indexOf("/acme/")));
        String movedCertUrl = again.kid.substring(0, again.kid.indexOf("/acme/")) + certUrl.substring(certUrl.indexOf("/acme/"));
        assertThat(again.post(movedCertUrl, null).raw().body()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    static String certId(X509Certificate cert) {
        byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(cert.getExtensionValue("2.5.29.35"))
                .getOctets()).getKeyIdentifierOctets();
        BigInteger serial = cert.getSerialNumber();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(aki) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(serial.toByteArray());
    }

    static JsonNode ari(AcmeTestClient c, String certId) throws Exception {
        HttpResponse<String> r = c.http.send(HttpRequest.newBuilder(URI.create(c.url("renewalInfo") + "/" + certId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        return AcmeTestClient.JSON.readTree(r.body());
    }
}
