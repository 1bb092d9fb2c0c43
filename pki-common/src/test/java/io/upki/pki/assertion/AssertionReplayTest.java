package io.upki.pki.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Role;
import io.upki.testkit.clock.MutableClock;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verifier's replay bounds (issue #16 L1) and its check of the signer's revocation (M2): an
 * assertion for an unsafe method is good once and for {@link AssertionVerifier#UNSAFE_MAX_AGE}; one for
 * a safe method may be reused until it expires; a revoked signer, or no current CRL, is refused.
 */
class AssertionReplayTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration LEEWAY = Duration.ofSeconds(2);
    private static final Identity ADMIN = new Identity("CN=admin", "0a", "12".repeat(32), Role.ADMIN, "1");

    private static KeyPair caKeys;
    private static X509Certificate ca;
    private static KeyPair signerKeys;
    private static X509Certificate signer;

    @BeforeAll
    static void pki() throws Exception {
        caKeys = SignerPki.ec("secp256r1");
        ca = SignerPki.ca("CN=replay test CA", caKeys, NOW, "SHA256withECDSA");
        signerKeys = SignerPki.ec("secp256r1");
        signer = SignerPki.signer("CN=replay test CA", caKeys, signerKeys, BigInteger.valueOf(77), NOW, "SHA256withECDSA");
    }

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    /** An assertion as the sidecar signs it at {@code issued}, with its 30 s default lifetime. */
    private static String sign(Instant issued, String method, String uri) {
        return new AssertionSigner(signerKeys.getPrivate(), List.of(signer, ca), at(issued), Duration.ofSeconds(30))
                .sign(ADMIN, method, uri);
    }

    private static AssertionVerifier verifier(Clock clock, RevocationIndex crls, SingleUseAssertions once) {
        return new AssertionVerifier(new ChainVerifier(List.of(ca), List.of(), clock), SignerCertificates.of(List.of(signer)),
                clock, LEEWAY, () -> crls, once);
    }

    /** The CA's CRL at {@code NOW}, listing {@code revoked} (keyCompromise). */
    private static RevocationIndex crl(long number, BigInteger... revoked) throws Exception {
        var b = new X509v2CRLBuilder(new X500Name("CN=replay test CA"), Date.from(NOW.minusSeconds(60)));
        b.setNextUpdate(Date.from(NOW.plus(Duration.ofDays(1))));
        b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
        for (BigInteger serial : revoked) {
            b.addCRLEntry(serial, Date.from(NOW.minusSeconds(30)), CRLReason.keyCompromise);
        }
        byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())).getEncoded();
        return RevocationIndex.empty().with(new CrlAcceptor(List.of(ca), at(NOW), Duration.ZERO)
                .accept(der, RevocationIndex.empty()));
    }

    @Test
    void anAssertionForPostIsGoodForOneRequestOnly() throws Exception {
        AssertionVerifier v = verifier(at(NOW), crl(1), new SingleUseAssertions(at(NOW)));
        String token = sign(NOW, "POST", "/api/v1/admins");
        assertThat(v.verify(token, "POST", "/api/v1/admins")).isEqualTo(ADMIN);
        // The same assertion again (with whatever body: the verifier never sees it) is a replay.
        assertThatThrownBy(() -> v.verify(token, "POST", "/api/v1/admins")).hasMessageContaining("already used");
        // A fresh assertion for the same request, as the sidecar signs for each unsafe request, passes.
        assertThat(v.verify(sign(NOW, "POST", "/api/v1/admins"), "POST", "/api/v1/admins")).isEqualTo(ADMIN);
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            String t = sign(NOW, method, "/api/v1/admins");
            v.verify(t, method, "/api/v1/admins");
            assertThatThrownBy(() -> v.verify(t, method, "/api/v1/admins")).hasMessageContaining("already used");
        }
    }

    @Test
    void anAssertionForGetIsReusedUntilItExpires() throws Exception {
        String token = sign(NOW, "GET", "/api/v1/certificates");
        SingleUseAssertions once = new SingleUseAssertions(at(NOW));
        for (int age : new int[] {0, 0, 10, 31}) {
            assertThat(verifier(at(NOW.plusSeconds(age)), crl(1), once).verify(token, "GET", "/api/v1/certificates"))
                    .isEqualTo(ADMIN);
        }
        assertThat(once.size()).isZero();
        assertThatThrownBy(() -> verifier(at(NOW.plusSeconds(32)), crl(1), once).verify(token, "GET", "/api/v1/certificates"))
                .hasMessageContaining("expired");
    }

    @Test
    void anAssertionForPostIsRefusedPastItsShortAgeEvenWithinItsLifetime() throws Exception {
        // The bound: UNSAFE_MAX_AGE (5 s) plus the 2 s leeway, though the assertion claims 30 s.
        String token = sign(NOW, "POST", "/api/v1/certificates");
        Instant lastAccepted = NOW.plus(AssertionVerifier.UNSAFE_MAX_AGE).plus(LEEWAY);
        assertThat(verifier(at(lastAccepted), crl(1), null).verify(token, "POST", "/api/v1/certificates")).isEqualTo(ADMIN);
        assertThatThrownBy(() -> verifier(at(lastAccepted.plusSeconds(1)), crl(1), null)
                .verify(token, "POST", "/api/v1/certificates")).hasMessageContaining("too old for POST");
        // Even the verifier without a memory of used assertions (tools, tests) applies the age bound.
        assertThatThrownBy(() -> new AssertionVerifier(new ChainVerifier(List.of(ca), List.of(), at(NOW.plusSeconds(20))),
                SignerCertificates.of(List.of(signer)), at(NOW.plusSeconds(20)), LEEWAY).verify(token, "POST", "/api/v1/certificates"))
                .hasMessageContaining("too old");
    }

    @Test
    void aRevokedSignerOrNoCurrentCrlIsRefused() throws Exception {
        String token = sign(NOW, "GET", "/api/v1/health");
        assertThat(verifier(at(NOW), crl(1), null).verify(token, "GET", "/api/v1/health")).isEqualTo(ADMIN);
        assertThatThrownBy(() -> verifier(at(NOW), crl(2, signer.getSerialNumber()), null).verify(token, "GET", "/api/v1/health"))
                .hasMessageContaining("signer refused: revoked");
        // Fail closed: without a current CRL for the CA, no assertion is trusted.
        assertThatThrownBy(() -> verifier(at(NOW), RevocationIndex.empty(), null).verify(token, "GET", "/api/v1/health"))
                .hasMessageContaining("signer refused: no_crl");
    }

    @Test
    void theMemoryOfUsedAssertionsIsBoundedAndFailsClosed() throws Exception {
        MutableClock clock = MutableClock.at(NOW);
        SingleUseAssertions once = new SingleUseAssertions(clock, 3);
        Instant until = NOW.plusSeconds(7);
        once.claim("a", until);
        once.claim("b", until);
        once.claim("c", until);
        // Full of ids still acceptable: refuse rather than forget one (which would reopen its replay).
        assertThatThrownBy(() -> once.claim("d", until)).hasMessageContaining("too many");
        clock.set(until.plusSeconds(1));
        once.claim("d", clock.instant().plusSeconds(7));
        assertThat(once.size()).isEqualTo(1);
        assertThatThrownBy(() -> once.claim("d", clock.instant())).hasMessageContaining("already used");
        assertThatThrownBy(() -> once.claim(null, clock.instant())).hasMessageContaining("no jti");
    }
}
