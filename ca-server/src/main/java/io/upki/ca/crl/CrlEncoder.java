package io.upki.ca.crl;

import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.store.RevokedEntry;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
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
 * Encodes and signs an X.509 v2 CRL (RFC 5280 section 5). Built on BouncyCastle's TBS generator, but
 * with each revocation second and reasonCode extension encoded once and shared between entries, and
 * times encoded directly: formatting a date per entry made 100,000-entry CRLs take seconds.
 */
final class CrlEncoder {
    private CrlEncoder() {
    }

    static byte[] encode(CertificateAuthority ca, BigInteger number, Instant thisUpdate, Instant nextUpdate,
                         List<RevokedEntry> entries, String digest) {
        ContentSigner signer = ca.signer(digest);
        V2TBSCertListGenerator tbs = new V2TBSCertListGenerator();
        tbs.setSignature(signer.getAlgorithmIdentifier());
        tbs.setIssuer(ca.subject());
        tbs.setThisUpdate(new Time(Date.from(thisUpdate)));
        tbs.setNextUpdate(new Time(Date.from(nextUpdate)));
        Map<Long, Time> times = new HashMap<>();
        Map<RevocationReason, Extensions> reasons = new EnumMap<>(RevocationReason.class);
        for (RevokedEntry entry : entries) {
            Time when = times.computeIfAbsent(entry.revokedAt().getEpochSecond(), CrlEncoder::time);
            if (entry.reason() == RevocationReason.UNSPECIFIED) {
                // RFC 5280 section 5.3.1: the reasonCode SHOULD be absent rather than unspecified (0).
                tbs.addCRLEntry(new ASN1Integer(entry.serial()), when, (Extensions) null);
            } else {
                tbs.addCRLEntry(new ASN1Integer(entry.serial()), when,
                        reasons.computeIfAbsent(entry.reason(), CrlEncoder::reasonExtension));
            }
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

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Instant UTC_TIME_END = Instant.parse("2050-01-01T00:00:00Z");

    /**
     * The DER time of a revocation, built from its encoding: BouncyCastle's {@code Time(Date)} formats
     * and re-parses through a new SimpleDateFormat each time, which dominated large CRLs. RFC 5280
     * section 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both to the second with Z.
     */
    static Time time(long epochSecond) {
        Instant instant = Instant.ofEpochSecond(epochSecond);
        boolean utc = instant.isBefore(UTC_TIME_END);
        byte[] text = (utc ? UTC_TIME : GENERALIZED_TIME).format(instant).getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[text.length + 2];
        der[0] = (byte) (utc ? 0x17 : 0x18);
        der[1] = (byte) text.length;
        System.arraycopy(text, 0, der, 2, text.length);
        try {
            return Time.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Extensions reasonExtension(RevocationReason reason) {
        try {
            return new Extensions(new Extension(Extension.reasonCode, false, new ASN1Enumerated(reason.code()).getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
