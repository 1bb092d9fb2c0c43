package io.upki.ca.issue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.testing.CaFixture;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A profile's {@code domain} confines every name on every issuance task, through a real CA on ZeroMQ. */
class DomainRuleTest {
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().profile("corp", """
                keyType: ec
                keyLen: 256
                duration: 10
                digest: sha256
                altnames: true
                domain: corp.example
                subject: {C: FR, O: Company, OU: Corp}
                keyUsage: [digitalSignature]
                extendedKeyUsage: [serverAuth, clientAuth, emailProtection]
                certType: server
                """);

    static ObjectNode generate(String cn, String sansJson) throws Exception {
        ObjectNode p = CaClient.params().put("cn", cn).put("profile", "corp");
        p.set("sans", new com.fasterxml.jackson.databind.ObjectMapper().readTree(sansJson));
        return p;
    }

    static ObjectNode sign(String subject, List<String> dns) {
        return CaClient.params().put("csr", TestKeys.csr(TestKeys.ec256(), subject, dns)).put("profile", "corp");
    }

    @Test
    void namesInTheDomainAreIssued() throws Exception {
        var generated = ca.call(CaTask.GENERATE, generate("web.corp.example",
                "[{\"type\":\"DNS\",\"value\":\"api.web.corp.example\"},{\"type\":\"EMAIL\",\"value\":\"ops@corp.example\"}]"));
        assertThat(Pem.parseCertificate(generated.get("certificate").asText()).getSubjectAlternativeNames()).hasSize(2);
        assertThat(ca.call(CaTask.SIGN, sign("CN=corp.example", List.of("corp.example", "*.corp.example"))).has("serial")).isTrue();
    }

    @Test
    void generateRefusesNamesOutsideTheDomain() throws Exception {
        assertThat(ca.rejected(CaTask.GENERATE, generate("upki-ra.example.internal", "[]")))
                .isEqualTo("[200] Profile 'corp' is restricted to domain 'corp.example': Common Name 'upki-ra.example.internal' is outside it");
        assertThat(ca.rejected(CaTask.GENERATE, generate("web.corp.example", "[{\"type\":\"DNS\",\"value\":\"evilcorp.example\"}]")))
                .isEqualTo("[200] Profile 'corp' is restricted to domain 'corp.example': DNS name 'evilcorp.example' is outside it");
        assertThat(ca.rejected(CaTask.GENERATE, generate("web.corp.example", "[{\"type\":\"IP\",\"value\":\"127.0.0.1\"}]")))
                .isEqualTo("[200] Profile 'corp' is restricted to domain 'corp.example': IP address SANs are not allowed");
        assertThat(ca.rejected(CaTask.GENERATE, generate("web.corp.example", "[{\"type\":\"EMAIL\",\"value\":\"ceo@other.example\"}]")))
                .contains("e-mail address 'ceo@other.example' is outside it");
        assertThat(ca.rejected(CaTask.GENERATE, generate("web.corp.example", "[{\"type\":\"URI\",\"value\":\"https://evil.example/x\"}]")))
                .contains("URI 'https://evil.example/x' is outside it");
    }

    @Test
    void signAsTheRaAndAcmeUseItRefusesNamesOutsideTheDomain() {
        assertThat(ca.rejected(CaTask.SIGN, sign("CN=web.corp.example", List.of("web.corp.example", "*.example.internal"))))
                .endsWith("DNS name '*.example.internal' is outside it");
        assertThat(ca.rejected(CaTask.SIGN, sign("CN=upki-ra.example.internal", List.of())))
                .endsWith("Common Name 'upki-ra.example.internal' is outside it");
        // A suffix match without the dot is not the domain.
        assertThat(ca.rejected(CaTask.SIGN, sign("CN=web.corp.example", List.of("notcorp.example")))).endsWith("is outside it");
    }

    @Test
    void registerRefusesNamesOutsideTheDomain() {
        assertThat(ca.rejected(CaTask.REGISTER, CaClient.params().put("seed", TestCa.SEED).put("cn", "node.other.example")
                .put("profile", "corp"))).endsWith("Common Name 'node.other.example' is outside it");
    }

    @Test
    void profilesWithoutADomainAreNotRestricted() {
        assertThat(ca.call(CaTask.SIGN, CaClient.params().put("csr", TestKeys.csr(TestKeys.ec256(), "CN=any.example.org",
                List.of("any.example.org"))).put("profile", "webapp")).has("serial")).isTrue();
    }
}
