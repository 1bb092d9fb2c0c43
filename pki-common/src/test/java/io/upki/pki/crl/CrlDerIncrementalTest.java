package io.upki.pki.crl;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which entries {@link CrlDer#serials} reads: only the tail when the previous CRL's entries are an
 * exact prefix, every entry otherwise. A marker serial planted in the previous snapshot (and absent from
 * the DER) shows which path was taken.
 */
class CrlDerIncrementalTest {
    private static final BigInteger MARKER = new BigInteger("777777777777");
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static KeyPair key;

    @BeforeAll
    static void key() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        key = gen.generateKeyPair();
    }

    private static byte[] crl(List<Long> serials, long revokedAtOffset) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name("CN=Test CA"), Date.from(T0));
        b.setNextUpdate(Date.from(T0.plusSeconds(86_400)));
        for (long s : serials) {
            b.addCRLEntry(BigInteger.valueOf(s), Date.from(T0.minusSeconds(s + revokedAtOffset)), CRLReason.keyCompromise);
        }
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    }

    /** The previous CRL as accepted, with the marker planted in its serials. */
    private static CrlSnapshot previous(byte[] der, List<Long> serials) {
        List<BigInteger> planted = new java.util.ArrayList<>(serials.stream().map(BigInteger::valueOf).toList());
        planted.add(MARKER);
        return new CrlSnapshot(null, BigInteger.ONE, T0, T0.plusSeconds(86_400), RevokedSerials.empty().plus(planted), der);
    }

    @Test
    void appendedEntriesAreReadAloneAndThePreviousSetIsReused() throws Exception {
        CrlSnapshot before = previous(crl(List.of(11L, 12L, 13L), 0), List.of(11L, 12L, 13L));
        RevokedSerials after = CrlDer.parse(crl(List.of(11L, 12L, 13L, 14L, 15L), 0)).serials(before);
        assertThat(after).contains(MARKER, BigInteger.valueOf(14), BigInteger.valueOf(15), BigInteger.valueOf(11));
        assertThat(after).hasSize(6);
    }

    @Test
    void aRemovedEntryMeansAFullRead() throws Exception {
        CrlSnapshot before = previous(crl(List.of(11L, 12L, 13L), 0), List.of(11L, 12L, 13L));
        RevokedSerials after = CrlDer.parse(crl(List.of(11L, 13L, 14L), 0)).serials(before);
        assertThat(after).containsExactlyInAnyOrder(BigInteger.valueOf(11), BigInteger.valueOf(13), BigInteger.valueOf(14));
    }

    @Test
    void aChangedEntryMeansAFullRead() throws Exception {
        // Same serials, other revocation dates: the bytes differ, so nothing is reused.
        CrlSnapshot before = previous(crl(List.of(11L, 12L), 0), List.of(11L, 12L));
        RevokedSerials after = CrlDer.parse(crl(List.of(11L, 12L, 13L), 5)).serials(before);
        assertThat(after).containsExactlyInAnyOrder(BigInteger.valueOf(11), BigInteger.valueOf(12), BigInteger.valueOf(13));
    }

    @Test
    void noPreviousOrAnEmptyPreviousMeansAFullRead() throws Exception {
        byte[] der = crl(List.of(21L, 22L), 0);
        assertThat(CrlDer.parse(der).serials(null)).containsExactlyInAnyOrder(BigInteger.valueOf(21), BigInteger.valueOf(22));
        CrlSnapshot empty = previous(crl(List.of(), 0), List.of());
        assertThat(CrlDer.parse(der).serials(empty)).containsExactlyInAnyOrder(BigInteger.valueOf(21), BigInteger.valueOf(22));
    }
}
