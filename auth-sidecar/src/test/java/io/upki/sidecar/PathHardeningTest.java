package io.upki.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TestPki;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates the chain verifier must refuse although they chain to the trusted CA, through the real
 * sidecar HTTP server (issue #16): SHA-1 signatures on a leaf or an intermediate, and critical
 * extensions it does not process (RFC 5280 sections 4.2 and 6.1.5 (f)).
 */
class PathHardeningTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static SidecarHarness sidecar;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki("Hardening");
        sidecar = SidecarHarness.startOn(pki, dir);
    }

    @AfterAll
    static void stop() {
        sidecar.close();
    }

    static HttpResponse<String> auth(X509Certificate... chain) throws Exception {
        StringBuilder header = new StringBuilder();
        for (X509Certificate c : chain) {
            header.append(header.length() == 0 ? "" : ",").append(TestPki.base64(c));
        }
        return sidecar.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", header.toString(),
                "X-Forwarded-Uri", "/api/client/me", "X-Forwarded-Method", "GET"));
    }

    static void refused(HttpResponse<String> r, String reason) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(new ObjectMapper().readTree(r.body()).get("reason").asText()).isEqualTo(reason);
    }

    static Extension critical(ASN1ObjectIdentifier oid, org.bouncycastle.asn1.ASN1Encodable value) throws Exception {
        return new Extension(oid, true, new DEROctetString(value));
    }

    @Test
    void controlsAreAllowed() throws Exception {
        assertThat(auth(pki.leaf(pki.intermediate, "sha256", "SHA256withECDSA")).statusCode()).isEqualTo(200);
        TestPki.Ca sent = pki.intermediate("Sent Issuing", "SHA384withECDSA");
        // The path through a sent SHA-384 intermediate verifies; only that CA's CRL is missing.
        refused(auth(pki.leaf(sent, "via-sent", "SHA256withECDSA"), sent.cert()), "no_crl");
        // Critical extensions the verifier processes are fine.
        assertThat(auth(pki.leaf(pki.intermediate, "critical-san", "SHA256withECDSA", critical(Extension.subjectAlternativeName,
                new org.bouncycastle.asn1.x509.GeneralNames(new GeneralName(GeneralName.dNSName, "a.example")))))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void sha1SignedLeafIsRefused() throws Exception {
        refused(auth(pki.leaf(pki.intermediate, "sha1-leaf", "SHA1withECDSA")), "weak_signature");
    }

    @Test
    void leafBelowSha1SignedIntermediateIsRefused() throws Exception {
        TestPki.Ca weak = pki.intermediate("SHA-1 Issuing", "SHA1withECDSA");
        refused(auth(pki.leaf(weak, "below-sha1", "SHA256withECDSA"), weak.cert()), "weak_signature");
    }

    @Test
    void leafWithAnUnknownCriticalExtensionIsRefused() throws Exception {
        refused(auth(pki.leaf(pki.intermediate, "unknown-critical", "SHA256withECDSA",
                critical(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1"), DERNull.INSTANCE))), "unknown_critical_extension");
        // Policy constraints are not processed, so a critical certificatePolicies is not understood either.
        refused(auth(pki.leaf(pki.intermediate, "critical-policy", "SHA256withECDSA",
                critical(Extension.certificatePolicies, new org.bouncycastle.asn1.x509.CertificatePolicies(
                        new org.bouncycastle.asn1.x509.PolicyInformation(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.2")))))),
                "unknown_critical_extension");
    }

    @Test
    void intermediateWithUnprocessedNameConstraintsIsRefused() throws Exception {
        // Name constraints are not enforced by the verifier: a CA restricted by them must not be trusted as unrestricted.
        TestPki.Ca constrained = pki.intermediate("Constrained Issuing", "SHA256withECDSA", critical(Extension.nameConstraints,
                new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "ok.example"))},
                        null)));
        refused(auth(pki.leaf(constrained, "constrained", "SHA256withECDSA"), constrained.cert()), "unknown_critical_extension");
    }
}
