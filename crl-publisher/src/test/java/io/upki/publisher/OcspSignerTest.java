package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.testkit.clock.MutableClock;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delegated signer's life with an injected clock: renewed with a new key at two thirds of its
 * seven days, responses signed by the new one at once, and tryLater (never an expired signature) when
 * it expired and the CA could not renew it.
 */
class OcspSignerTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock();
    TestCa ca;
    Publisher publisher;
    OcspClient client;
    X509Certificate caCert;

    @BeforeEach
    void start() throws Exception {
        TestCa.initialize(dir.resolve("ca"), "ec");
        ca = TestCa.open(dir.resolve("ca"), Duration.ofDays(30), null, clock);
        publisher = Publisher.start(TestPublishers.withOcsp(ca, dir, 0, Duration.ofSeconds(2)), clock);
        client = new OcspClient("http://127.0.0.1:" + publisher.port() + "/ocsp");
        caCert = Pem.parseCertificate(ca.call(CaTask.GET_CA, CaClient.params()).asText());
        TestPublishers.awaitFirstCrl(publisher);
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (ca != null) {
            ca.close();
        }
    }

    /** The certificate that signed the answer, after checking the signature. */
    BigInteger signerOf(byte[] request) throws Exception {
        OCSPResp resp = client.post(request).ocsp();
        assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        X509CertificateHolder signer = basic.getCerts()[0];
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer))).isTrue();
        return signer.getSerialNumber();
    }

    @Test
    void theSignerIsRenewedWithANewKeyAtTwoThirdsOfItsLifetime() throws Exception {
        Path keyFile = dir.resolve("signer/ocsp-signer.key");
        String firstKey = Files.readString(keyFile);
        var first = publisher.ocspSigner().current();
        assertThat(Duration.between(first.certificate().getNotBefore().toInstant(), first.renewAt()))
                .isEqualTo(Duration.ofDays(7).multipliedBy(2).dividedBy(3));
        byte[] request = OcspClient.request(null, OcspClient.id(caCert, BigInteger.valueOf(4242)));
        assertThat(signerOf(request)).isEqualTo(first.certificate().getSerialNumber());

        clock.advance(Duration.ofDays(4));
        assertThat(publisher.ocspSigner().renewIfDue()).as("before two thirds").isFalse();
        clock.advance(Duration.ofDays(1));
        assertThat(publisher.ocspSigner().renewIfDue()).as("after two thirds").isTrue();

        var second = publisher.ocspSigner().current();
        assertThat(second.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
        assertThat(second.certificate().getSubjectPublicKeyInfo()).isNotEqualTo(first.certificate().getSubjectPublicKeyInfo());
        assertThat(Files.readString(keyFile)).isNotEqualTo(firstKey);
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        // The cached answer of the old signer is not served any more.
        assertThat(signerOf(request)).isEqualTo(second.certificate().getSerialNumber());
    }

    @Test
    void anExpiredSignerThatCannotBeRenewedGivesTryLater() throws Exception {
        // A serial the responder knows as good, so the CA is not needed to answer it...
        BigInteger serial = Pem.parseCertificate(ca.client().sign(io.upki.testkit.pki.TestKeys.csr("CN=known.example.internal"),
                "server").get("certificate").asText()).getSerialNumber();
        byte[] request = OcspClient.request(null, OcspClient.id(caCert, serial));
        signerOf(request);
        byte[] nonce = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
        byte[] withNonce = OcspClient.request(nonce, OcspClient.id(caCert, serial));
        ca.close();
        signerOf(withNonce);
        // ...but not with an expired signer: its signature would be refused by every client.
        ca = null;
        clock.advance(Duration.ofDays(8));
        assertThat(publisher.ocspSigner().renewIfDue()).isFalse();
        for (byte[] r : new byte[][] {request, withNonce}) {
            OcspClient.Reply reply = client.post(r);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.ocsp().getStatus()).isEqualTo(OCSPResp.TRY_LATER);
        }
    }
}
