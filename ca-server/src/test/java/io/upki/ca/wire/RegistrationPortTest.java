package io.upki.ca.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.ca.testing.CaFixture;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.Pem;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registration port (ops port + 1): an RA bootstraps with the seed and receives its key. */
class RegistrationPortTest {
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().profile("fastra", """
                keyType: ec
                keyLen: 256
                duration: 365
                subject: {C: FR, O: uPKI, OU: RA}
                keyUsage: [digitalSignature, keyEncipherment]
                extendedKeyUsage: [serverAuth, clientAuth]
                certType: sslCA
                """);
    static ZmqCaClient registration;

    @BeforeAll
    static void start() throws Exception {
        registration = new ZmqCaClient(ca.registrationEndpoint(), t -> Duration.ofSeconds(60), 0, new WireCodec());
    }

    @AfterAll
    static void stop() {
        registration.close();
    }

    @Test
    void registerGivesKeyCertificateAndCaThenStatusKnowsTheNode() throws Exception {
        assertThat(registration.call(CaTask.STATUS, CaClient.params().put("cn", "ra-1")).toString())
                .isEqualTo("{\"status\":\"not_registered\"}");
        JsonNode data = registration.call(CaTask.REGISTER, CaClient.params().put("seed", TestCa.SEED)
                .put("cn", "ra-1.example.internal").put("profile", "fastra"));
        assertThat(data.get("status").asText()).isEqualTo("registered");
        assertThat(data.get("cn").asText()).isEqualTo("ra-1.example.internal");
        assertThat(data.get("profile").asText()).isEqualTo("fastra");
        X509Certificate cert = Pem.parseCertificate(data.get("certificate").asText());
        PrivateKey key = Pem.parsePrivateKey(data.get("private_key").asText(), null);
        assertThat(data.get("ca_certificate").asText()).isEqualTo(ca.call(CaTask.GET_CA, CaClient.params()).asText());
        // The key received is the key certified.
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertThat(s.verify(sig)).isTrue();
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");

        JsonNode status = registration.call(CaTask.STATUS, CaClient.params().put("cn", "ra-1.example.internal"));
        assertThat(status.get("status").asText()).isEqualTo("registered");
        assertThat(status.at("/node/cn").asText()).isEqualTo("ra-1.example.internal");
        assertThat(status.at("/node/profile").asText()).isEqualTo("fastra");
        assertThat(status.at("/node/registered_at").asText()).endsWith("+00:00");
        // The CA does not keep the key it handed out.
        assertThat(Files.exists(ca.dir().resolve("private").resolve(cert.getSerialNumber().toString(16) + ".key"))).isFalse();
    }

    @Test
    void wrongOrMissingSeedIsRefused() {
        assertThatThrownBy(() -> registration.call(CaTask.REGISTER, CaClient.params().put("seed", "nope").put("cn", "ra-x")))
                .isInstanceOfSatisfying(CaClientException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("[700] Invalid registration seed"));
        assertThatThrownBy(() -> registration.call(CaTask.REGISTER, CaClient.params().put("cn", "ra-x")))
                .hasMessage("[700] Missing seed parameter");
        assertThatThrownBy(() -> registration.call(CaTask.REGISTER, CaClient.params().put("seed", TestCa.SEED)))
                .hasMessage("[700] Missing cn parameter");
    }

    @Test
    void operationsTasksAreUnknownOnTheRegistrationPort() {
        assertThatThrownBy(() -> registration.call(CaTask.GET_CA, CaClient.params()))
                .hasMessage("[700] Unknown task: get_ca");
        assertThatThrownBy(() -> registration.call(CaTask.REVOKE, CaClient.params().put("dn", "x")))
                .hasMessage("[700] Unknown task: revoke");
    }
}
