package io.upki.e2e.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.pki.assertion.AssertionSigner;
import io.upki.pki.assertion.Identity;
import io.upki.pki.trust.Role;
import io.upki.pki.x509.Pem;
import io.upki.pki.x509.UpkiRole;
import io.upki.ra.RaConfig;
import io.upki.ra.RaStack;
import io.upki.sidecar.Sidecar;
import io.upki.testkit.pki.TestKeys;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #20: the assertion names its signer by serial ({@code kid}) and {@code x5t#S256}, and ra-core
 * takes the certificate from the CA, once. Through a real CA, crl-publisher, ra-core and sidecars: a
 * signer certificate the CA never issued is refused even though it chains to ca.crt and holds the role
 * (made with the CA's key, as a thief of that file could); so is one posing under a real signer's serial;
 * a new signer seen while the CA is down gets 503 with a reason, never an acceptance, while a signer
 * already looked up keeps working; once the CA is back the new signer is accepted.
 */
class RaEdgeSignerLookupTest {
    @RegisterExtension
    static final RaStack stack = RaStack.forClass(RaConfig.Mode.EDGE);
    static Sidecar known;
    static RaStack.Client admin;
    static String ra;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        ra = "http://127.0.0.1:" + stack.ra.port();
        known = stack.closeAfter(EdgeSidecars.register(stack, "known-sidecar", Clock.systemUTC()));
        admin = stack.issue("admin.example.internal", "admin");
    }

    /** An assertion-signer certificate made with the CA's own key, but never issued (or recorded) by the CA. */
    static X509Certificate unrecorded(KeyPair keys, BigInteger serial) throws Exception {
        X509Certificate caCert = Pem.parseCertificate(Files.readString(stack.caCrt));
        PrivateKey caKey = Pem.parsePrivateKey(Files.readString(stack.dir.resolve("ca/ca.key")), null);
        var b = new JcaX509v3CertificateBuilder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
                serial, Date.from(Instant.now().minusSeconds(3600)), Date.from(Instant.now().plusSeconds(86400)),
                new X500Name("CN=rogue-sidecar"), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.certificatePolicies, false, UpkiRole.ASSERTION_SIGNER.policies());
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(caKey)));
    }

    static String forged(KeyPair keys, X509Certificate signer, String uri) {
        return new AssertionSigner(keys.getPrivate(), List.of(signer), Clock.systemUTC(), Duration.ofSeconds(30))
                .sign(new Identity("CN=admin.example.internal", admin.certificate().getSerialNumber().toString(16), "x", Role.ADMIN, "1"),
                        "GET", uri);
    }

    static String assertion(Sidecar via, String uri) throws Exception {
        HttpResponse<String> r = RaEdgeModeTest.auth(via, admin, "GET", uri);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().firstValue("X-Upki-Assertion").orElseThrow();
    }

    static HttpResponse<String> get(String uri, String assertion) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ra + uri)).header("X-Upki-Assertion", assertion)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignerTheCaNeverIssuedIsRefusedThoughItChainsAndHoldsTheRole() throws Exception {
        KeyPair keys = TestKeys.ec256();
        X509Certificate rogue = unrecorded(keys, new BigInteger(64, new java.security.SecureRandom()).setBit(63));
        String token = forged(keys, rogue, "/api/v1/health");
        RaEdgeModeTest.refused(get("/api/v1/health", token), "invalid_assertion");
        // Asked again: still refused (the CA's "not found" is remembered for a while, not turned into trust).
        RaEdgeModeTest.refused(get("/api/v1/health", token), "invalid_assertion");
    }

    @Test
    void aForgedSignerUnderARealSignersSerialIsRefused() throws Exception {
        String real = assertion(known, "/api/v1/health");
        assertThat(get("/api/v1/health", real).statusCode()).isEqualTo(200);
        String kid = new ObjectMapper().readTree(java.util.Base64.getUrlDecoder().decode(real.split("\\.")[0])).get("kid").asText();
        KeyPair keys = TestKeys.ec256();
        // Same serial as the real signer: the CA's certificate for it has another x5t#S256.
        String token = forged(keys, unrecorded(keys, new BigInteger(kid, 16)), "/api/v1/health");
        RaEdgeModeTest.refused(get("/api/v1/health", token), "invalid_assertion");
        assertThat(get("/api/v1/health", real).statusCode()).isEqualTo(200);
    }

    @Test
    void aNewSignerWhileTheCaIsDownGets503AndIsAcceptedOnceTheCaIsBack() throws Exception {
        assertThat(get("/api/v1/health", assertion(known, "/api/v1/health")).statusCode()).isEqualTo(200);
        Sidecar fresh = EdgeSidecars.register(stack, "fresh-sidecar", Clock.systemUTC());
        try {
            String first = assertion(fresh, "/api/v1/health");
            stack.ca.close();
            try {
                HttpResponse<String> r = get("/api/v1/health", first);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.body()).contains("\"reason\":\"signer_unavailable\"").contains("the CA is unavailable");
                // A signer looked up before keeps working without the CA: chain, role and CRL are local checks.
                HttpResponse<String> ok = get("/api/v1/health?known=1", assertion(known, "/api/v1/health?known=1"));
                assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            } finally {
                stack.startCa();
            }
            // The failed lookup was not remembered: with the CA back, the new signer is looked up and accepted,
            // as soon as the RA's circuit-breaker probe (every second) has seen the CA answer again.
            HttpResponse<String> back;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            int attempt = 0;
            do {
                attempt++;
                back = get("/api/v1/health?back=" + attempt, assertion(fresh, "/api/v1/health?back=" + attempt));
                if (back.statusCode() == 200 || System.nanoTime() > deadline) {
                    break;
                }
                assertThat(back.body()).contains("the CA is unavailable");
                Thread.sleep(100);
            } while (true);
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        } finally {
            fresh.close();
        }
    }
}
