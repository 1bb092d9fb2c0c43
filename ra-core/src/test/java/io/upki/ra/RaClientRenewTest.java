package io.upki.ra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /api/client/renew} through the real RA (mTLS) and CA: a client renews its own certificate
 * with a new key and nothing else. The red team's renewals that asked for a server's names or another
 * person's e-mail are 400 and issue nothing (issue #16, H1).
 */
class RaClientRenewTest {
    @RegisterExtension
    static final RaStack stack = RaStack.forClass(RaConfig.Mode.DIRECT);
    static String base;

    @BeforeAll
    static void start() throws Exception {
        base = "https://127.0.0.1:" + stack.ra.port();
    }

    static String csr(KeyPair keys, String subject, GeneralName... names) throws Exception {
        var b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
        if (names.length > 0) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        return Pem.encode(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    /** A user certificate issued by the CA from a CSR with {@code names}, written for the HTTPS client. */
    static RaStack.Client user(String cn, GeneralName... names) throws Exception {
        KeyPair keys = TestKeys.ec256();
        String pem = stack.ca.client().sign(csr(keys, "CN=" + cn, names), "user").get("certificate").asText();
        X509Certificate cert = Pem.parseCertificate(pem);
        java.nio.file.Files.writeString(stack.dir.resolve(cn + ".key"), Pem.encodePrivateKey(keys.getPrivate(), null));
        return new RaStack.Client(keys, cert, stack.dir.resolve(cn + ".key"),
                java.nio.file.Files.writeString(stack.dir.resolve(cn + ".crt"), pem));
    }

    static HttpResponse<String> renew(RaStack.Client who, String csr) throws Exception {
        return RaStack.send(stack.https(who), "POST", base + "/api/client/renew",
                "{\"csr\":" + new ObjectMapper().writeValueAsString(csr) + "}");
    }

    static int issuedCount() {
        return stack.ca.call(CaTask.LIST_NODES, CaClient.params()).size();
    }

    static JsonNode view(RaStack.Client who) {
        return stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", who.certificate().getSerialNumber()));
    }

    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    @Test
    void aClientCannotRenewIntoAServerCertificateForOtherNames() throws Exception {
        RaStack.Client mallory = user("mallory.example.internal");
        int before = issuedCount();
        // The red team's request: the client's own subject, plus the RA's and a wildcard's names and an IP.
        HttpResponse<String> r = renew(mallory, csr(TestKeys.ec256(), "CN=mallory.example.internal",
                dns("upki-ra"), dns("*.example.internal"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("CSR SANs must be those of the certificate being renewed")
                .contains("DNS:upki-ra").contains("IP:127.0.0.1");
        assertThat(issuedCount()).isEqualTo(before);
        assertThat(view(mallory).get("is_revoked").asBoolean()).isFalse();
    }

    @Test
    void aUserCannotAddSomeoneElsesEmail() throws Exception {
        GeneralName mine = new GeneralName(GeneralName.rfc822Name, "eve@example.internal");
        RaStack.Client eve = user("eve", mine);
        int before = issuedCount();
        HttpResponse<String> r = renew(eve, csr(TestKeys.ec256(), "CN=eve", mine,
                new GeneralName(GeneralName.rfc822Name, "ceo@example.internal")));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("not in it: [EMAIL:ceo@example.internal]");
        assertThat(issuedCount()).isEqualTo(before);
    }

    @Test
    void anotherSubjectIsRefused() throws Exception {
        RaStack.Client trudy = user("trudy.example.internal");
        int before = issuedCount();
        HttpResponse<String> r = renew(trudy, csr(TestKeys.ec256(), "CN=trudy.example.internal,OU=Admins,O=Company,C=FR"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("is not the subject of the certificate being renewed");
        assertThat(issuedCount()).isEqualTo(before);
    }

    @Test
    void aRenewalKeepsSubjectNamesAndProfileCertifiesTheNewKeyAndSupersedesTheOld() throws Exception {
        GeneralName mail = new GeneralName(GeneralName.rfc822Name, "alice@example.internal");
        RaStack.Client alice = user("alice", mail);
        KeyPair fresh = TestKeys.ec256();
        HttpResponse<String> r = renew(alice, csr(fresh, "CN=alice", mail));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        X509Certificate renewed = Pem.parseCertificate(new ObjectMapper().readTree(r.body()).get("certificate").asText());

        assertThat(renewed.getSubjectX500Principal()).isEqualTo(alice.certificate().getSubjectX500Principal());
        assertThat(List.copyOf(renewed.getSubjectAlternativeNames())).isEqualTo(List.copyOf(alice.certificate().getSubjectAlternativeNames()));
        assertThat(renewed.getExtendedKeyUsage()).isEqualTo(alice.certificate().getExtendedKeyUsage());
        assertThat(renewed.getPublicKey().getEncoded()).isEqualTo(fresh.getPublic().getEncoded());
        assertThat(view(alice).get("revoke_reason").asText()).isEqualTo("superseded");
        assertThat(stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", renewed.getSerialNumber()))
                .get("profile").asText()).isEqualTo("user");
    }

    @Test
    void aCsrWithoutSansKeepsTheCertificatesNames() throws Exception {
        RaStack.Client bob = user("bob.example.internal", dns("bob.example.internal"));
        HttpResponse<String> r = renew(bob, csr(TestKeys.ec256(), "CN=bob.example.internal"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        X509Certificate renewed = Pem.parseCertificate(new ObjectMapper().readTree(r.body()).get("certificate").asText());
        assertThat(List.copyOf(renewed.getSubjectAlternativeNames())).isEqualTo(List.copyOf(bob.certificate().getSubjectAlternativeNames()));
    }
}
