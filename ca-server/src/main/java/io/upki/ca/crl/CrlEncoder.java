package io.upki.ca.crl;

import io.upki.ca.authority.CertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.operator.ContentSigner;

/**
 * Encodes and signs an X.509 v2 CRL (RFC 5280 section 5). The revoked entries arrive already encoded
 * ({@link RevokedList}), so a CRL of 100,000 entries is a copy of bytes, a digest and one signature;
 * the small parts around them are encoded with BouncyCastle.
 */
final class CrlEncoder {
    private CrlEncoder() {
    }

    /**
     * @param revokedContents the concatenated DER entries of {@code revokedCertificates}; empty when
     *     nothing is revoked, in which case the field is left out (RFC 5280 section 5.1.2.6)
     */
    static byte[] encode(CertificateAuthority ca, BigInteger number, Instant thisUpdate, Instant nextUpdate,
                         byte[] revokedContents, String digest) {
        return encode(ca, number, null, thisUpdate, nextUpdate, revokedContents, digest);
    }

    /**
     * @param deltaBase null for a complete CRL; for a delta CRL the number of the complete CRL it adds
     *     to, in a critical Delta CRL Indicator (RFC 5280 section 5.2.4): a relying party that does not
     *     know deltas must refuse it rather than take it for a complete CRL
     */
    static byte[] encode(CertificateAuthority ca, BigInteger number, BigInteger deltaBase, Instant thisUpdate,
                         Instant nextUpdate, byte[] revokedContents, String digest) {
        ContentSigner signer = ca.signer(digest);
        try {
            List<Extension> list = new ArrayList<>(List.of(
                new Extension(Extension.authorityKeyIdentifier, false, ca.authorityKeyIdentifier().getEncoded()),
                new Extension(Extension.cRLNumber, false, new CRLNumber(number).getEncoded())));
            if (deltaBase != null) {
                list.add(new Extension(Extension.deltaCRLIndicator, true, new CRLNumber(deltaBase).getEncoded()));
            }
            byte[] extensions = new DERTaggedObject(true, 0, new Extensions(list.toArray(Extension[]::new)))
                    .getEncoded(ASN1Encoding.DER);
            byte[] revoked = revokedContents.length == 0 ? new byte[0]
                    : concat(header(0x30, revokedContents.length), revokedContents);
            byte[] tbs = sequence(
                    new ASN1Integer(1).getEncoded(ASN1Encoding.DER), // v2
                    signer.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER),
                    ca.subject().getEncoded(ASN1Encoding.DER),
                    timeDer(thisUpdate.getEpochSecond()),
                    timeDer(nextUpdate.getEpochSecond()),
                    revoked,
                    extensions);
            try (OutputStream out = signer.getOutputStream()) {
                out.write(tbs);
            }
            return sequence(tbs, signer.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER),
                    new DERBitString(signer.getSignature()).getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DER SEQUENCE of already encoded parts. */
    static byte[] sequence(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] header = header(0x30, length);
        byte[] out = new byte[header.length + length];
        System.arraycopy(header, 0, out, 0, header.length);
        int at = header.length;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Tag and definite length (X.690 section 8.1.3: short form below 128, else long form). */
    static byte[] header(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[2 + bytes];
        out[0] = (byte) tag;
        out[1] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            out[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        }
        return out;
    }

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Instant UTC_TIME_END = Instant.parse("2050-01-01T00:00:00Z");

    /**
     * The DER time of a revocation, encoded directly: BouncyCastle's {@code Time(Date)} formats
     * and re-parses through a new SimpleDateFormat each time, which dominated large CRLs. RFC 5280
     * section 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both to the second with Z.
     */
    static byte[] timeDer(long epochSecond) {
        Instant instant = Instant.ofEpochSecond(epochSecond);
        boolean utc = instant.isBefore(UTC_TIME_END);
        byte[] text = (utc ? UTC_TIME : GENERALIZED_TIME).format(instant).getBytes(StandardCharsets.US_ASCII);
        return concat(header(utc ? 0x17 : 0x18, text.length), text);
    }

    /** {@link #timeDer} as a BouncyCastle object, to compare with its own encoding in tests. */
    static Time time(long epochSecond) {
        try {
            return Time.getInstance(ASN1Primitive.fromByteArray(timeDer(epochSecond)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
