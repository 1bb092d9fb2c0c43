package io.upki.ca.issue;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.CaFixture;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The keys {@code sign} certifies, through a real CA on ZeroMQ: each refused kind is a clear [400], never [600]. */
class CsrKeyRulesTest {
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec();

    static String refusal(KeyPair keys) {
        try {
            ca.call(CaTask.SIGN, CaClient.params().put("csr", TestKeys.csr(keys, "CN=key.example.internal", List.of()))
                    .put("profile", "server"));
        } catch (CaClientException e) {
            assertThat(e.kind()).isEqualTo(CaClientException.Kind.REJECTED);
            assertThat(e.code()).isEqualTo(CaErrorCode.KEY);
            return e.getMessage();
        }
        throw new AssertionError("the CA signed the key");
    }

    static X509Certificate signed(KeyPair keys) {
        return Pem.parseCertificate(ca.call(CaTask.SIGN, CaClient.params()
                .put("csr", TestKeys.csr(keys, "CN=key.example.internal", List.of())).put("profile", "server"))
                .get("certificate").asText());
    }

    @Test
    void secp256k1IsRefused() {
        assertThat(refusal(TestKeys.ec("secp256k1")))
                .isEqualTo("[400] EC curve secp256k1 is not accepted (P-256, P-384, P-521)");
    }

    @Test
    void brainpoolIsRefusedClearlyNotAsAnInternalError() {
        assertThat(refusal(TestKeys.ec("brainpoolP256r1")))
                .isEqualTo("[400] EC curve brainpoolP256r1 is not accepted (P-256, P-384, P-521)");
        assertThat(refusal(TestKeys.ec("brainpoolP384r1"))).startsWith("[400] EC curve brainpoolP384r1 ");
    }

    @Test
    void rsaWithExponent3IsRefused() {
        assertThat(refusal(TestKeys.rsa(2048, BigInteger.valueOf(3))))
                .isEqualTo("[400] RSA public exponent 3 is not accepted (only 65537)");
    }

    @Test
    void rsa1024IsRefused() {
        assertThat(refusal(TestKeys.rsa(1024))).isEqualTo("[400] Key length 1024 is below minimum (2048 bits)");
    }

    @Test
    void acceptedKindsAreCertifiedWithTheirOwnKey() {
        List<KeyPair> accepted = List.of(TestKeys.rsa(2048), TestKeys.ec("secp256r1"), TestKeys.ec("secp384r1"),
                TestKeys.ec("secp521r1"), TestKeys.ed25519());
        for (KeyPair keys : accepted) {
            X509Certificate cert = signed(keys);
            assertThat(cert.getPublicKey().getEncoded()).as(keys.getPublic().getAlgorithm())
                    .isEqualTo(keys.getPublic().getEncoded());
        }
    }
}
