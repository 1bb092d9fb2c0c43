package io.upki.pki.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.upki.pki.crypto.NativeCrypto;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Role;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-assembled assertion against an independent JOSE implementation (nimbus-jose-jwt): its
 * signature verifies there, its header is the one FORWARD-AUTH.md section 3 names, and its claims are
 * exactly those the nimbus-built assertion carried.
 */
class AssertionSignerTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00.750Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration TTL = Duration.ofSeconds(30);

    private static KeyPair caKeys;
    private static X509Certificate ca;

    @BeforeAll
    static void pki() throws Exception {
        NativeCrypto.install(System.getenv(NativeCrypto.SWITCH)); // the signer's provider, as in the sidecar
        caKeys = ec("secp384r1");
        ca = SignerPki.ca("CN=assertion test CA", caKeys, NOW, "SHA384withECDSA");
    }

    private static KeyPair ec(String curve) throws Exception {
        return SignerPki.ec(curve);
    }

    /** A signing certificate with upki's assertion-signer role, as the CA's sidecar profile makes it. */
    private static X509Certificate signerCertificate(KeyPair keys) throws Exception {
        return SignerPki.signer("CN=assertion test CA", caKeys, keys, BigInteger.TWO, NOW, "SHA384withECDSA");
    }

    /** The claims as AssertionSigner built them with nimbus before it assembled the JWS itself. */
    private static JWTClaimsSet nimbusClaims(Identity id, String method, String uri, String jti) {
        return new JWTClaimsSet.Builder()
                .issuer("upki-auth-sidecar")
                .subject(id.subject())
                .claim("serial", id.serialHex())
                .claim("fpr", id.fingerprint())
                .claim("role", id.role().wireName())
                .claim("crl", id.crlNumber())
                .claim("htm", method)
                .claim("htu", uri)
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(TTL)))
                .jwtID(jti)
                .build();
    }

    private static void assertSameAsNimbus(String token, ECPublicKey key, X509Certificate signer, Identity id,
                                           String method, String uri, JWSAlgorithm alg) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new ECDSAVerifier(key))).as("nimbus verifies the signature").isTrue();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(alg);
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("upki-assertion+jwt"));
        // The signer is named, not carried (issue #20): serial as kid, SHA-256 thumbprint as x5t#S256.
        assertThat(jwt.getHeader().getX509CertChain()).isNull();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(signer.getSerialNumber().toString(16));
        assertThat(jwt.getHeader().getX509CertSHA256Thumbprint())
                .isEqualTo(Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(signer.getEncoded())));
        assertThat(jwt.getHeader().getIncludedParams()).containsExactlyInAnyOrder("alg", "typ", "kid", "x5t#S256");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getJWTID()).isNotBlank();
        Map<String, Object> expected = nimbusClaims(id, method, uri, claims.getJWTID()).toJSONObject();
        assertThat(claims.toJSONObject()).isEqualTo(expected);
    }

    @Test
    void es256AssertionVerifiesWithNimbusAndCarriesTheSameClaims() throws Exception {
        KeyPair keys = ec("secp256r1");
        X509Certificate signer = signerCertificate(keys);
        AssertionSigner assertions = new AssertionSigner(keys.getPrivate(), List.of(signer, ca), CLOCK, TTL);
        Identity id = new Identity("CN=alice.example.internal,O=Example", "1f2e3d", "ab".repeat(32), Role.ADMIN, "42");
        // Many signatures: r and s with leading zero bytes (about 1 in 128 each) must be padded right.
        for (int i = 0; i < 300; i++) {
            String uri = "/api/v1/health?i=" + i;
            assertSameAsNimbus(assertions.sign(id, "GET", uri), (ECPublicKey) keys.getPublic(), signer, id, "GET", uri,
                    JWSAlgorithm.ES256);
        }
    }

    @Test
    void es384AssertionVerifiesWithNimbus() throws Exception {
        KeyPair keys = ec("secp384r1");
        X509Certificate signer = signerCertificate(keys);
        AssertionSigner assertions = new AssertionSigner(keys.getPrivate(), List.of(signer), CLOCK, TTL);
        Identity id = new Identity("CN=bob", "01", "cd".repeat(32), Role.CLIENT, "7");
        for (int i = 0; i < 50; i++) {
            assertSameAsNimbus(assertions.sign(id, "POST", "/api/client/renew"), (ECPublicKey) keys.getPublic(), signer,
                    id, "POST", "/api/client/renew", JWSAlgorithm.ES384);
        }
    }

    @Test
    void stringsThatNeedEscapingSurviveUnchanged() throws Exception {
        KeyPair keys = ec("secp256r1");
        X509Certificate signer = signerCertificate(keys);
        AssertionSigner assertions = new AssertionSigner(keys.getPrivate(), List.of(signer), CLOCK, TTL);
        String subject = "CN=\"quoted\\, back\\\\slash\",O=Zürich 東京 \uD83D\uDD12,OU=tab\tnl\ncr\r\u0000\u001f\u007f</script>";
        Identity id = new Identity(subject, "00ff", "ef".repeat(32), Role.CLIENT, "123456789012345678901234567890");
        String uri = "/api/client/x?q=\"a\"&b=\\&c=%20é";
        String token = assertions.sign(id, "PATCH", uri);
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertSameAsNimbus(token, (ECPublicKey) keys.getPublic(), signer, id, "PATCH", uri, JWSAlgorithm.ES256);
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getSubject()).isEqualTo(subject);
    }

    @Test
    void upkisVerifierAcceptsItForItsRequestOnly() throws Exception {
        KeyPair keys = ec("secp256r1");
        X509Certificate signer = signerCertificate(keys);
        AssertionSigner assertions = new AssertionSigner(keys.getPrivate(), List.of(signer, ca), CLOCK, TTL);
        Identity id = new Identity("CN=carol", "0a", "12".repeat(32), Role.ADMIN, "9");
        String token = assertions.sign(id, "GET", "/api/v1/admins");
        AssertionVerifier verifier = new AssertionVerifier(new ChainVerifier(List.of(ca), List.of(), CLOCK),
                SignerCertificates.of(List.of(signer)), CLOCK, Duration.ofSeconds(2));
        assertThat(verifier.verify(token, "GET", "/api/v1/admins")).isEqualTo(id);
        assertThatThrownBy(() -> verifier.verify(token, "GET", "/api/v1/admins/x")).hasMessageContaining("made for");
        Clock later = Clock.fixed(NOW.plus(TTL).plusSeconds(3), ZoneOffset.UTC);
        AssertionVerifier afterExpiry = new AssertionVerifier(new ChainVerifier(List.of(ca), List.of(), later),
                SignerCertificates.of(List.of(signer)), later, Duration.ofSeconds(2));
        assertThatThrownBy(() -> afterExpiry.verify(token, "GET", "/api/v1/admins")).hasMessageContaining("expired");
    }

    @Test
    void onlyEcKeysSign() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey rsa = g.generateKeyPair().getPrivate();
        assertThatThrownBy(() -> new AssertionSigner(rsa, List.of(ca), CLOCK, TTL)).isInstanceOf(IllegalArgumentException.class);
    }
}
