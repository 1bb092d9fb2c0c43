package io.upki.pki.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.upki.pki.assertion.AssertionVerifier.InvalidAssertionException;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Role;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assertion names its signer by {@code kid} and {@code x5t#S256} (issue #20): the verifier takes the
 * certificate only from its {@link SignerCertificates}, never from the assertion, and refuses an unknown
 * or mismatched name, a chain or key sent along, and a lookup that cannot be made now (as unavailable).
 */
class AssertionSignerNameTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Identity ADMIN = new Identity("CN=admin", "0a", "12".repeat(32), Role.ADMIN, "1");

    private static KeyPair caKeys;
    private static X509Certificate ca;
    private static KeyPair signerKeys;
    private static X509Certificate signer;
    private static KeyPair otherKeys;
    /** Another signer the same CA certified, with the same serial (as a forger with the CA key could make). */
    private static X509Certificate sameSerial;

    @BeforeAll
    static void pki() throws Exception {
        caKeys = SignerPki.ec("secp256r1");
        ca = SignerPki.ca("CN=name test CA", caKeys, NOW, "SHA256withECDSA");
        signerKeys = SignerPki.ec("secp256r1");
        signer = signer(signerKeys, BigInteger.valueOf(0x4d2));
        otherKeys = SignerPki.ec("secp256r1");
        sameSerial = signer(otherKeys, BigInteger.valueOf(0x4d2));
    }

    private static X509Certificate signer(KeyPair keys, BigInteger serial) throws Exception {
        return SignerPki.signer("CN=name test CA", caKeys, keys, serial, NOW, "SHA256withECDSA");
    }

    private static AssertionVerifier verifier(SignerCertificates signers) {
        return new AssertionVerifier(new ChainVerifier(List.of(ca), List.of(), CLOCK), signers, CLOCK, Duration.ofSeconds(2));
    }

    /** An assertion built by nimbus with {@code header}, signed with {@code keys}, for an admin's GET /api/v1/health. */
    private static String token(JWSHeader header, KeyPair keys) throws Exception {
        return token(header, keys, "admin");
    }

    /** As above, with the {@code role} claim spelled {@code role}. */
    private static String token(JWSHeader header, KeyPair keys, String role) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("upki-auth-sidecar").subject("CN=admin")
                .claim("serial", "0a").claim("fpr", "12".repeat(32)).claim("role", role).claim("crl", "1")
                .claim("htm", "GET").claim("htu", "/api/v1/health").issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(30))).jwtID("j").build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()));
        return jwt.serialize();
    }

    private static JWSHeader.Builder named(X509Certificate c) {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(AssertionSigner.TYPE))
                .keyID(c.getSerialNumber().toString(16)).x509CertSHA256Thumbprint(new Base64URL(SignerCertificates.thumbprint(c)));
    }

    @Test
    void theNamedSignerIsLookedUpAndItsAssertionAccepted() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        SignerCertificates known = SignerCertificates.of(List.of(signer));
        AssertionVerifier v = verifier((kid, thumbprint) -> {
            lookups.incrementAndGet();
            assertThat(kid).isEqualTo("4d2");
            return known.find(kid, thumbprint);
        });
        String token = new AssertionSigner(signerKeys.getPrivate(), List.of(signer, ca), CLOCK, Duration.ofSeconds(30))
                .sign(ADMIN, "GET", "/api/v1/health");
        assertThat(v.verify(token, "GET", "/api/v1/health")).isEqualTo(ADMIN);
        assertThat(token(named(signer).build(), signerKeys)).satisfies(t ->
                assertThat(v.verify(t, "GET", "/api/v1/health")).isEqualTo(ADMIN));
        assertThat(lookups.get()).isEqualTo(2);
    }

    @Test
    void aRoleNoRelyingPartyKnowsIsRefusedNotTakenForAClient() throws Exception {
        AssertionVerifier v = verifier(SignerCertificates.of(List.of(signer)));
        assertThat(v.verify(token(named(signer).build(), signerKeys, "client"), "GET", "/api/v1/health").role())
                .isEqualTo(Role.CLIENT);
        for (String role : List.of("root", "ADMIN", "")) {
            String token = token(named(signer).build(), signerKeys, role);
            assertThatThrownBy(() -> v.verify(token, "GET", "/api/v1/health"))
                    .isInstanceOf(InvalidAssertionException.class).hasMessageContaining("unknown role");
        }
    }

    @Test
    void aSignerTheLookupDoesNotKnowIsRefused() throws Exception {
        // sameSerial chains to the CA and holds the role: only the lookup stands between it and acceptance.
        String forged = token(named(sameSerial).build(), otherKeys);
        assertThat(verifier(SignerCertificates.of(List.of(sameSerial))).verify(forged, "GET", "/api/v1/health"))
                .isEqualTo(ADMIN);
        assertThatThrownBy(() -> verifier(SignerCertificates.of(List.of(signer))).verify(forged, "GET", "/api/v1/health"))
                .isInstanceOf(InvalidAssertionException.class).hasMessageContaining("unknown signer 4d2");
    }

    @Test
    void aLookupAnsweringAnotherCertificateIsRefused() throws Exception {
        // The real signer's serial and the forger's thumbprint; a lookup that answers by serial alone is caught.
        String forged = token(named(sameSerial).build(), otherKeys);
        assertThatThrownBy(() -> verifier((kid, thumbprint) -> signer).verify(forged, "GET", "/api/v1/health"))
                .hasMessageContaining("does not match x5t#S256");
        // The forger's key under the real signer's name: the signature fails.
        String misnamed = token(named(signer).build(), otherKeys);
        assertThatThrownBy(() -> verifier(SignerCertificates.of(List.of(signer))).verify(misnamed, "GET", "/api/v1/health"))
                .hasMessageContaining("bad signature");
    }

    @Test
    void aChainOrKeySentAlongOrAMissingNameIsRefused() throws Exception {
        SignerCertificates known = SignerCertificates.of(List.of(signer));
        // The old form, x5c beside the name: one way to name the signer, no certificate taken from the request.
        String withChain = token(named(signer).x509CertChain(List.of(Base64.encode(signer.getEncoded()))).build(), signerKeys);
        assertThatThrownBy(() -> verifier(known).verify(withChain, "GET", "/api/v1/health"))
                .hasMessageContaining("named by kid and x5t#S256 only");
        String chainOnly = token(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .x509CertChain(List.of(Base64.encode(signer.getEncoded()))).build(), signerKeys);
        assertThatThrownBy(() -> verifier(known).verify(chainOnly, "GET", "/api/v1/health"))
                .hasMessageContaining("named by kid and x5t#S256 only");
        String noKid = token(named(signer).keyID(null).build(), signerKeys);
        assertThatThrownBy(() -> verifier(known).verify(noKid, "GET", "/api/v1/health")).hasMessageContaining("no usable kid");
        String badKid = token(named(signer).keyID("4D2").build(), signerKeys);
        assertThatThrownBy(() -> verifier(known).verify(badKid, "GET", "/api/v1/health")).hasMessageContaining("no usable kid");
        String noThumbprint = token(named(signer).x509CertSHA256Thumbprint(null).build(), signerKeys);
        assertThatThrownBy(() -> verifier(known).verify(noThumbprint, "GET", "/api/v1/health"))
                .hasMessageContaining("no usable kid and x5t#S256");
    }

    @Test
    void aLookupThatCannotBeMadeNowRefusesAsUnavailable() throws Exception {
        String token = new AssertionSigner(signerKeys.getPrivate(), List.of(signer), CLOCK, Duration.ofSeconds(30))
                .sign(ADMIN, "GET", "/api/v1/health");
        assertThatThrownBy(() -> verifier((kid, thumbprint) -> {
            throw new SignerCertificates.SignerUnavailableException("the CA did not answer");
        }).verify(token, "GET", "/api/v1/health")).isInstanceOf(SignerCertificates.SignerUnavailableException.class)
                .hasMessageContaining("the CA did not answer");
    }
}
