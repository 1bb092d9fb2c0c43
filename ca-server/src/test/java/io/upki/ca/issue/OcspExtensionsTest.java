package io.upki.ca.issue;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.x509.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCSP parts of issuance: the AIA id-ad-ocsp URL (RFC 5280 section 4.2.2.1) when {@code ocsp_url} is
 * set, and the built-in {@code ocsp} profile's delegated signer (RFC 6960 section 4.2.2.2).
 */
class OcspExtensionsTest {
    static final String URL = "http://ocsp.example.internal:8081/ocsp";

    @TempDir
    Path dir;
    TestCa ca;

    @AfterEach
    void stop() {
        if (ca != null) {
            ca.close();
        }
    }

    X509CertificateHolder sign(String cn, String profile) throws Exception {
        String pem = ca.client().sign(TestKeys.csr("CN=" + cn), profile).get("certificate").asText();
        return new X509CertificateHolder(Pem.parseCertificate(pem).getEncoded());
    }

    @Test
    void issuedCertificatesNameTheResponderWhenConfigured() throws Exception {
        TestCa.initialize(dir, "ec");
        ca = TestCa.open(dir, Duration.ofDays(7), null, URL, Clock.systemUTC(), 0);
        X509CertificateHolder leaf = sign("svc.example.internal", "server");
        AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(leaf.getExtensions());
        assertThat(aia).isNotNull();
        AccessDescription[] descriptions = aia.getAccessDescriptions();
        assertThat(descriptions).hasSize(1);
        assertThat(descriptions[0].getAccessMethod()).isEqualTo(AccessDescription.id_ad_ocsp);
        assertThat(descriptions[0].getAccessLocation())
                .isEqualTo(new GeneralName(GeneralName.uniformResourceIdentifier, URL));
        assertThat(leaf.getExtension(Extension.authorityInfoAccess).isCritical()).isFalse();
    }

    @Test
    void withoutOcspUrlThereIsNoAia() throws Exception {
        TestCa.initialize(dir, "ec");
        ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC());
        assertThat(sign("svc.example.internal", "server").getExtension(Extension.authorityInfoAccess)).isNull();
    }

    @Test
    void theOcspProfileMakesAShortLivedNoCheckSigner() throws Exception {
        TestCa.initialize(dir, "ec");
        ca = TestCa.open(dir, Duration.ofDays(7), null, URL, Clock.systemUTC(), 0);
        X509CertificateHolder signer = sign("ocsp-responder", "ocsp");
        X509Certificate x509 = Pem.parseCertificate(Pem.encode(signer));
        assertThat(x509.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_OCSPSigning.getId());
        assertThat(x509.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(x509.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(x509.getBasicConstraints()).isEqualTo(-1);
        Extension noCheck = signer.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck);
        assertThat(noCheck).isNotNull();
        assertThat(noCheck.isCritical()).isFalse();
        // RFC 6960 section 4.2.2.2.1: the signer is checked by nobody, so it names no responder itself.
        assertThat(signer.getExtension(Extension.authorityInfoAccess)).isNull();
        Duration life = Duration.between(x509.getNotBefore().toInstant(), x509.getNotAfter().toInstant());
        assertThat(life).isEqualTo(Duration.ofDays(7));
        assertThat(sign("svc.example.internal", "server").getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck))
                .isNull();
    }
}
