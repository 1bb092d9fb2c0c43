package io.upki.pki.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** Names, serial and SHA-256 fingerprint of a certificate. */
class CertificateFactsTest {

    private static String sha256Hex(byte[] data) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(data)) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return hex.toString();
    }

    @Test
    void fingerprintIsLowerCaseHexSha256OfTheDer() throws Exception {
        KeyPair keys = TestPki.ecKeyPair();
        X509Certificate cert = TestPki.selfSignedCa("CN=Fingerprint Test", keys);

        String fingerprint = CertificateFacts.sha256Fingerprint(cert);

        assertThat(fingerprint).isEqualTo(sha256Hex(cert.getEncoded())).matches("[0-9a-f]{64}");
        assertThat(CertificateFacts.sha256Fingerprint(cert.getEncoded())).isEqualTo(fingerprint);
    }

    @Test
    void fingerprintOfSharedVectorsMatchesMessageDigestAndTheRecordedValue() throws Exception {
        X509Certificate client = Pem.parseCertificate(Vectors.read("pki/client.crt"));
        X509Certificate rootCa = Pem.parseCertificate(Vectors.read("ca-root.crt"));

        // leaf_sha256 of pki/client.crt as recorded in vectors.json.
        assertThat(CertificateFacts.sha256Fingerprint(client))
                .isEqualTo("7f625272f2c69f26d80ef615088786eea27580dc020b0bf41ce1c6f9958f7401")
                .isEqualTo(sha256Hex(client.getEncoded()));
        assertThat(CertificateFacts.sha256Fingerprint(rootCa)).isEqualTo(sha256Hex(rootCa.getEncoded()));
    }

    @Test
    void namesOfSharedVectors() {
        X509Certificate client = Pem.parseCertificate(Vectors.read("pki/client.crt"));
        X509Certificate intermediate = Pem.parseCertificate(Vectors.read("ca-intermediate.crt"));
        X509Certificate rootCa = Pem.parseCertificate(Vectors.read("ca-root.crt"));

        assertThat(CertificateFacts.commonName(client)).isEqualTo("operator-01");
        assertThat(CertificateFacts.commonName(intermediate)).isEqualTo("Example Test Issuing CA 1");
        assertThat(CertificateFacts.commonName(rootCa)).isEqualTo("Example Test Root CA");
        assertThat(CertificateFacts.issuer(client)).isEqualTo(CertificateFacts.subject(intermediate));
        assertThat(CertificateFacts.issuer(intermediate)).isEqualTo(CertificateFacts.subject(rootCa));
        assertThat(DistinguishedNames.toSlash(CertificateFacts.subject(rootCa)))
                .isEqualTo("/C=DE/O=Example RA Test/CN=Example Test Root CA");
    }

    @Test
    void serialHexIsLowerCaseWithoutPadding() {
        assertThat(CertificateFacts.serialHex(BigInteger.valueOf(0x1001))).isEqualTo("1001");
        assertThat(CertificateFacts.serialHex(new BigInteger("394849924032451189626582680205031369965229007474")))
                .isEqualTo(new BigInteger("394849924032451189626582680205031369965229007474").toString(16))
                .matches("[0-9a-f]+");
        assertThat(CertificateFacts.serialHex(BigInteger.valueOf(0xABCDEF))).isEqualTo("abcdef");
    }

    @Test
    void derIsTheEncodedCertificate() throws Exception {
        X509Certificate client = Pem.parseCertificate(Vectors.read("pki/client.crt"));

        assertThat(CertificateFacts.der(client)).isEqualTo(client.getEncoded());
    }
}
