package io.upki.ra.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import io.upki.testkit.pki.TestKeys;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Multi-step ACME flows the tests share: order, answer http-01, finalize with a chosen CSR. */
final class AcmeFlows {
    private AcmeFlows() {
    }

    static AcmeTestClient.Reply newOrder(AcmeTestClient c, String type, String... values) throws Exception {
        ObjectNode p = AcmeTestClient.JSON.createObjectNode();
        ArrayNode ids = p.putArray("identifiers");
        for (String v : values) {
            ids.addObject().put("type", type).put("value", v);
        }
        return c.post(c.url("newOrder"), p.toString());
    }

    static JsonNode challenge(AcmeTestClient c, String authzUrl, String type) throws Exception {
        for (JsonNode ch : c.post(authzUrl, null).json().path("challenges")) {
            if (ch.path("type").asText().equals(type)) {
                return ch;
            }
        }
        throw new AssertionError("no " + type + " challenge");
    }

    static String keyAuthorization(JWK accountKey, String token) throws Exception {
        return token + "." + accountKey.computeThumbprint();
    }

    /** Orders {@code names} and proves each with http-01 through {@code responder}; returns the ready order's URL. */
    static String readyOrder(AcmeTestClient c, ChallengeResponders.Http responder, String type, String... names) throws Exception {
        AcmeTestClient.Reply order = newOrder(c, type, names);
        assertThat(order.status()).as(order.raw().body()).isEqualTo(201);
        for (JsonNode authz : order.json().path("authorizations")) {
            JsonNode ch = challenge(c, authz.asText(), "http-01");
            responder.answers.put(ch.path("token").asText(), keyAuthorization(c.key, ch.path("token").asText()));
            AcmeTestClient.Reply answered = c.post(ch.path("url").asText(), "{}");
            assertThat(answered.json().path("status").asText()).as(answered.raw().body()).isEqualTo("valid");
        }
        String url = order.header("Location");
        assertThat(c.post(url, null).json().path("status").asText()).isEqualTo("ready");
        return url;
    }

    /** A CSR (base64url DER) for {@code subject} with DNS SANs {@code names}. */
    static String csr(KeyPair keys, String subject, List<String> names) throws Exception {
        var b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
        if (!names.isEmpty()) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.stream().map(n ->
                    new GeneralName(n.matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new)));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded());
    }

    static String csr(String subject, List<String> names) throws Exception {
        return csr(TestKeys.ec256(), subject, names);
    }

    static AcmeTestClient.Reply finalizeOrder(AcmeTestClient c, String orderUrl, String csr) throws Exception {
        return c.post(orderUrl + "/finalize", AcmeTestClient.JSON.createObjectNode().put("csr", csr).toString());
    }
}
