package io.upki.pki.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PEM (RFC 7468) reading and writing of keys, certificates and CSRs. */
class PemTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    private static KeyPair rsa;
    private static KeyPair ec;
    private static KeyPair leafKeys;
    private static X509Certificate root;
    private static X509Certificate leaf;
    /** Encrypted once: PBKDF2 with 210,000 iterations makes each encryption cost a noticeable fraction of a second. */
    private static String encryptedEc;

    @BeforeAll
    static void mintPki() {
        rsa = TestPki.rsaKeyPair();
        ec = TestPki.ecKeyPair();
        leafKeys = TestPki.ecKeyPair();
        root = TestPki.selfSignedCa("CN=Test Root,O=upki tests", ec);
        leaf = TestPki.issue("CN=leaf.example.com,O=upki tests", BigInteger.valueOf(4242), leafKeys.getPublic(),
                root, ec.getPrivate());
        encryptedEc = Pem.encodePrivateKey(ec.getPrivate(), PASSPHRASE);
    }

    @Test
    void plainRsaKeyRoundTrips() {
        String pem = Pem.encodePrivateKey(rsa.getPrivate(), null);

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        PrivateKey parsed = Pem.parsePrivateKey(pem, null);
        assertThat(parsed.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void plainEcKeyRoundTrips() {
        PrivateKey parsed = Pem.parsePrivateKey(Pem.encodePrivateKey(ec.getPrivate(), new char[0]), null);

        assertThat(parsed.getAlgorithm()).isEqualTo("EC");
        assertThat(parsed.getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
    }

    @Test
    void encryptedKeyRoundTripsWithItsPassphrase() {
        String pem = encryptedEc;

        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
                .endsWith("-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThat(Pem.parsePrivateKey(pem, PASSPHRASE).getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
    }

    @Test
    void wrongPassphraseIsRejected() {
        assertThatThrownBy(() -> Pem.parsePrivateKey(encryptedEc, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encryptedKeyWithoutPassphraseIsRejected() {
        String pem = encryptedEc;

        assertThatThrownBy(() -> Pem.parsePrivateKey(pem, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> Pem.parsePrivateKey(pem, new char[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void certificateIsNotAPrivateKey() {
        assertThatThrownBy(() -> Pem.parsePrivateKey(Pem.encode(root), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bundleOfTwoCertificatesIsReadInOrder() {
        String bundle = Pem.encode(leaf) + Pem.encode(root);

        List<X509Certificate> certs = Pem.parseCertificates(bundle);

        assertThat(certs).containsExactly(leaf, root);
        assertThat(certs.get(0).getSerialNumber()).isEqualTo(BigInteger.valueOf(4242));
    }

    @Test
    void encodedCertificateEndsWithNewlineAndParsesBack() {
        String pem = Pem.encode(leaf);

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(Pem.parseCertificate(pem)).isEqualTo(leaf);
    }

    @Test
    void sharedVectorChainIsReadInOrder() {
        List<X509Certificate> chain = Pem.parseCertificates(Vectors.read("pki/client-chain.pem"));
        X509Certificate client = Pem.parseCertificate(Vectors.read("pki/client.crt"));
        X509Certificate intermediate = Pem.parseCertificate(Vectors.read("ca-intermediate.crt"));

        assertThat(chain).containsExactly(client, intermediate);
    }

    @Test
    void textWithoutCertificatesGivesAnEmptyList() {
        assertThat(Pem.parseCertificates("no pem here")).isEmpty();
        assertThatThrownBy(() -> Pem.parseCertificate("no pem here")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void corruptCertificateIsRejected() {
        String corrupt = "-----BEGIN CERTIFICATE-----\nTUlJQm9vbQ==\n-----END CERTIFICATE-----\n";

        assertThatThrownBy(() -> Pem.parseCertificates(corrupt)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void csrRoundTrips() throws Exception {
        PKCS10CertificationRequest csr = TestPki.csr("CN=csr.example.com", leafKeys);

        PKCS10CertificationRequest parsed = Pem.parseCsr(Pem.encode(csr));

        assertThat(parsed.getEncoded()).isEqualTo(csr.getEncoded());
        assertThat(parsed.getSubject().toString()).isEqualTo("CN=csr.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage",
        "-----BEGIN CERTIFICATE REQUEST-----\n!!!\n-----END CERTIFICATE REQUEST-----\n",
        "-----BEGIN CERTIFICATE REQUEST-----\nTUlJQm9vbQ==\n-----END CERTIFICATE REQUEST-----\n"})
    void garbageCsrIsRejected(String text) {
        assertThatThrownBy(() -> Pem.parseCsr(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void certificateIsNotACsr() {
        assertThatThrownBy(() -> Pem.parseCsr(Pem.encode(root))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullCsrIsRejected() {
        assertThatThrownBy(() -> Pem.parseCsr(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
