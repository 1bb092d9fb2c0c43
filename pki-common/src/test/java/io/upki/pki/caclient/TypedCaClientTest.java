package io.upki.pki.caclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.upki.pki.wire.CertificatePage;
import io.upki.pki.wire.NodeQuery;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The typed client sends the golden request fixtures and reads each task's DATA into its answer type. */
class TypedCaClientTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final BigInteger SERIAL = new BigInteger("394849924032451189626582680205031369965229007474");
    private static final String CSR = "-----BEGIN CERTIFICATE REQUEST-----\n...\n-----END CERTIFICATE REQUEST-----\n";
    private final RecordingCaClient transport = new RecordingCaClient();
    private final TypedCaClient client = new TypedCaClient(transport);

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = TypedCaClientTest.class.getResourceAsStream("/wire/requests/" + name + ".json")) {
            return PLAIN.readTree(in);
        }
    }

    private JsonNode sent(int i) throws IOException {
        return PLAIN.readTree(transport.sent.get(i));
    }

    private void answer(String json) throws IOException {
        transport.answers.add(PLAIN.readTree(json));
    }

    @Test
    void revokeAndRenewWithCsrSendTheirFixtures() throws IOException {
        answer("true");
        answer("true");
        answer("{\"certificate\": \"PEM\", \"serial\": 7}");

        client.revoke(new RevocationRequest(CertificateId.dn("gen-a1.example.com"), "keyCompromise"));
        client.revoke(new RevocationRequest(CertificateId.serial(SERIAL), "superseded"));
        var renewed = client.renewWithCsr(CertificateId.serial(SERIAL), CSR);

        assertThat(sent(0)).isEqualTo(fixture("revoke"));
        assertThat(sent(1)).isEqualTo(fixture("revoke_serial"));
        assertThat(sent(2)).isEqualTo(fixture("renew_csr"));
        assertThat(renewed.serial()).isEqualTo(BigInteger.valueOf(7));
    }

    @Test
    void signSendsTheSignFixtureAndReadsTheSerialExactly() throws IOException {
        answer("{\"certificate\": \"PEM\", \"serial\": " + SERIAL + "}");

        var signed = client.sign(new SignRequest(CSR, "webapp"));

        assertThat(sent(0)).isEqualTo(fixture("sign"));
        assertThat(signed.serial()).isEqualTo(SERIAL);
    }

    @Test
    void plainAndFilteredListNodes() throws IOException {
        answer("[]");
        answer("{\"items\": [{\"dn\": \"/CN=web\", \"cn\": \"web\", \"profile\": \"server\", \"state\": \"valid\","
                + " \"serial\": 9, \"sans\": [], \"not_after\": \"2026-01-01T00:00:00+00:00\"}], \"total\": 26,"
                + " \"offset\": 25, \"limit\": 25}");

        assertThat(client.nodes()).isEmpty();
        CertificatePage page = client.nodes(new NodeQuery("web", null, "server", "valid",
                Instant.parse("2026-01-26T12:00:00Z"), 25, 25));

        assertThat(sent(0)).isEqualTo(fixture("list_nodes"));
        assertThat(sent(1)).isEqualTo(fixture("list_nodes_filter"));
        assertThat(page.items()).singleElement().satisfies(n -> assertThat(n.cn()).isEqualTo("web"));
        assertThat(page.total()).isEqualTo(26);
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void crlsAdminsAndClientsAreRead() throws IOException {
        byte[] der = {0x30, (byte) 0x82, 0x01, 0x0a, 0x00, (byte) 0xff};
        transport.answers.add(JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(der)));
        answer("[\"/CN=a\", {\"dn\": \"/CN=b\"}]");
        answer("{\"public_key\": \"k\", \"role\": \"operator\"}");
        answer("{\"public_key\": \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\", \"name\": \"crl-publisher\", \"role\": \"crl-publisher\"}");

        assertThat(client.currentCrl().der()).isEqualTo(der);
        assertThat(client.admins()).containsExactly("/CN=a", "/CN=b");
        assertThat(client.enrol("example-seed-not-a-secret", "alice")).isEqualTo(new ClientKey("k", null, "operator", null));
        client.addClient("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID", "crl-publisher", "crl-publisher");

        assertThat(sent(0)).isEqualTo(fixture("get_crl"));
        assertThat(sent(1)).isEqualTo(fixture("list_admins"));
        assertThat(sent(2)).isEqualTo(fixture("enrol"));
        assertThat(sent(3)).isEqualTo(fixture("add_client"));
    }

    @Test
    void anAnswerOfTheWrongShapeIsAProtocolFailure() throws IOException {
        answer("{\"certificate\": \"PEM\", \"serial\": \"not a number\"}");
        answer("42");
        transport.answers.add(JsonNodeFactory.instance.textNode("%%% not base64"));

        assertThatThrownBy(() -> client.sign(new SignRequest(CSR, null))).isInstanceOf(CaClientException.class)
                .satisfies(e -> assertThat(((CaClientException) e).kind()).isEqualTo(CaClientException.Kind.PROTOCOL));
        assertThatThrownBy(() -> client.profileNames()).isInstanceOf(CaClientException.class)
                .hasMessage("the CA answered list_profiles with a number where a list was expected");
        assertThatThrownBy(() -> client.currentCrl()).isInstanceOf(CaClientException.class)
                .hasMessage("the CA answered get_crl with a CRL that is not base64");
    }
}
