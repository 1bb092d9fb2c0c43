package io.upki.pki.caclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The typed helpers of {@link CaClient} send the same envelopes as the golden fixtures and read DATA right. */
class CaClientTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = CaClientTest.class.getResourceAsStream("/wire/requests/" + name + ".json")) {
            return PLAIN.readTree(in);
        }
    }

    private static JsonNode tree(byte[] json) throws IOException {
        return PLAIN.readTree(json);
    }

    @Test
    void revokeSendsTheRevokeFixture() throws IOException {
        RecordingCaClient client = new RecordingCaClient();

        client.revoke("gen-a1.example.com", "keyCompromise");

        assertThat(tree(client.sent.get(0))).isEqualTo(fixture("revoke"));
    }

    @Test
    void revokeBySerialSendsTheSerialAsAnExactInteger() throws IOException {
        RecordingCaClient client = new RecordingCaClient();

        client.revokeSerial(new BigInteger("394849924032451189626582680205031369965229007474"), "superseded");

        assertThat(tree(client.sent.get(0))).isEqualTo(fixture("revoke_serial"));
    }

    @Test
    void signSendsTheSignFixture() throws IOException {
        RecordingCaClient client = new RecordingCaClient();

        client.sign("-----BEGIN CERTIFICATE REQUEST-----\n...\n-----END CERTIFICATE REQUEST-----\n", "webapp");

        assertThat(tree(client.sent.get(0))).isEqualTo(fixture("sign"));
    }

    @Test
    void getCaAndListAdminsReadTheirData() throws IOException {
        RecordingCaClient client = new RecordingCaClient();
        String pem = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n";
        client.answers.add(JsonNodeFactory.instance.textNode(pem));
        client.answers.add(JsonNodeFactory.instance.arrayNode().add("/CN=a").add("/CN=b"));

        assertThat(client.getCaPem()).isEqualTo(pem);
        assertThat(client.listAdmins()).containsExactly("/CN=a", "/CN=b");
        assertThat(tree(client.sent.get(0))).isEqualTo(fixture("get_ca"));
        assertThat(tree(client.sent.get(1))).isEqualTo(fixture("list_admins"));
    }

    @Test
    void crlsAreDecodedFromBase64Der() throws IOException {
        RecordingCaClient client = new RecordingCaClient();
        byte[] der = {0x30, (byte) 0x82, 0x01, 0x0a, 0x00, (byte) 0xff};
        client.answers.add(JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(der)));
        client.answers.add(JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(der)));

        assertThat(client.getCrl()).isEqualTo(der);
        assertThat(client.generateCrl()).isEqualTo(der);
        assertThat(tree(client.sent.get(0))).isEqualTo(fixture("get_crl"));
        assertThat(tree(client.sent.get(1))).isEqualTo(fixture("generate_crl"));
    }
}
