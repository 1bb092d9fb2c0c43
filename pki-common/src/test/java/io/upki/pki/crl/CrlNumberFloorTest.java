package io.upki.pki.crl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CRL number floor's file: survives a reopen, only rises, and a corrupt file is an error, never an empty floor. */
class CrlNumberFloorTest {
    @TempDir
    Path dir;

    static X509Certificate ca(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair k = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(Instant.parse("2026-01-01T00:00:00Z")), Date.from(Instant.parse("2036-01-01T00:00:00Z")), name,
                k.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
    }

    static CrlSnapshot crl(X509Certificate issuer, long number, byte[] der) {
        Instant t = Instant.parse("2026-06-01T00:00:00Z");
        return new CrlSnapshot(issuer, BigInteger.valueOf(number), t, t.plusSeconds(3600), RevokedSerials.empty(), der);
    }

    @Test
    void keepsTheHighestNumberPerIssuerAcrossAReopen() throws Exception {
        X509Certificate a = ca("A");
        X509Certificate b = ca("B");
        Path file = dir.resolve("state/crl-numbers");
        CrlNumberFloor floor = CrlNumberFloor.open(file);
        assertThat(floor.of(a)).isNull();
        floor.raise(List.of(crl(a, 5, new byte[] {5}), crl(b, 2, new byte[] {2})));
        floor.raise(List.of(crl(a, 4, new byte[] {4})));

        CrlNumberFloor reopened = CrlNumberFloor.open(file);
        assertThat(reopened.of(a).number()).isEqualTo(5);
        assertThat(reopened.of(a).sha256()).isEqualTo(CrlNumberFloor.sha256(new byte[] {5}));
        assertThat(reopened.of(b).number()).isEqualTo(2);
    }

    @Test
    void aCorruptFileIsAnErrorNotAnEmptyFloor() throws Exception {
        Path file = Files.writeString(dir.resolve("crl-numbers"), "not a floor\n");
        assertThatThrownBy(() -> CrlNumberFloor.open(file)).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
    }
}
