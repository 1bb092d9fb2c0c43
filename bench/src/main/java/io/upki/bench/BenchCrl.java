package io.upki.bench;

import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaLoader;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V2TBSCertListGenerator;
import org.bouncycastle.operator.ContentSigner;

/**
 * Large CRLs signed with a real CA's key, built the way ca-server's {@code CrlEncoder} builds them
 * (BouncyCastle's V2TBSCertListGenerator, each distinct time and reasonCode extension encoded once and
 * shared): random 159-bit serials like the CA's, reasons and dates spread as in a real CRL. The bytes of
 * every entry are what the CA would write for the same serial, date and reason.
 */
final class BenchCrl {
    private static final RevocationReason[] REASONS = {RevocationReason.KEY_COMPROMISE, RevocationReason.SUPERSEDED,
        RevocationReason.CESSATION_OF_OPERATION, RevocationReason.UNSPECIFIED, RevocationReason.AFFILIATION_CHANGED};
    /** Distinct revocation times (one per 100 entries at 1M): each entry still carries its own encoded copy. */
    private static final int DISTINCT_TIMES = 10_000;

    private BenchCrl() {
    }

    static CertificateAuthority loadCa(Path dataDir) {
        return CaLoader.load(new CaFiles(dataDir), null);
    }

    /**
     * A signed DER CRL with {@code entries} random serials plus every serial of {@code include}.
     *
     * @param number the CRL Number (must exceed what a consumer accepted before)
     */
    static byte[] build(CertificateAuthority ca, BigInteger number, int entries, Collection<BigInteger> include,
                        long seed) {
        ContentSigner signer = ca.signer("sha256");
        Instant now = Instant.now();
        V2TBSCertListGenerator tbs = new V2TBSCertListGenerator();
        tbs.setSignature(signer.getAlgorithmIdentifier());
        tbs.setIssuer(ca.subject());
        tbs.setThisUpdate(new Time(Date.from(now.minusSeconds(60))));
        tbs.setNextUpdate(new Time(Date.from(now.plusSeconds(7 * 86400))));
        Time[] times = new Time[DISTINCT_TIMES];
        // Revocation times from the start of the day: CRLs built the same day with the same seed share
        // their first entries byte for byte, as a CA's successive CRLs do.
        Instant base = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS).minusSeconds(30L * 86400);
        for (int i = 0; i < times.length; i++) {
            times[i] = new Time(Date.from(base.plusSeconds(17L * i)));
        }
        Map<RevocationReason, Extensions> reasons = new EnumMap<>(RevocationReason.class);
        for (RevocationReason r : REASONS) {
            if (r != RevocationReason.UNSPECIFIED) {
                reasons.put(r, reasonExtension(r));
            }
        }
        Random random = new Random(seed);
        int i = 0;
        for (BigInteger serial : include) {
            tbs.addCRLEntry(new ASN1Integer(serial), times[0], reasons.get(RevocationReason.CESSATION_OF_OPERATION));
            i++;
        }
        for (; i < entries; i++) {
            BigInteger serial = new BigInteger(159, random).setBit(150);
            RevocationReason reason = REASONS[i % REASONS.length];
            tbs.addCRLEntry(new ASN1Integer(serial), times[i % times.length], reasons.get(reason));
        }
        try {
            tbs.setExtensions(new Extensions(new Extension[] {
                new Extension(Extension.authorityKeyIdentifier, false, ca.authorityKeyIdentifier().getEncoded()),
                new Extension(Extension.cRLNumber, false, new CRLNumber(number).getEncoded())}));
            TBSCertList list = tbs.generateTBSCertList();
            byte[] tbsDer = list.getEncoded(ASN1Encoding.DER);
            try (OutputStream out = signer.getOutputStream()) {
                out.write(tbsDer);
            }
            ASN1EncodableVector crl = new ASN1EncodableVector(3);
            crl.add(list);
            crl.add(signer.getAlgorithmIdentifier());
            crl.add(new DERBitString(signer.getSignature()));
            return new DERSequence(crl).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code der} next to {@code target} and renames it over, so a reader never sees half a file. */
    static void writeAtomically(Path target, byte[] der) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, der);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Extensions reasonExtension(RevocationReason reason) {
        try {
            return new Extensions(new Extension(Extension.reasonCode, false, new ASN1Enumerated(reason.code()).getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
