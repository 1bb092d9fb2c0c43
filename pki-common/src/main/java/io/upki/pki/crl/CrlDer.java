package io.upki.pki.crl;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.Time;

/**
 * A CRL (RFC 5280 section 5.1) read in one pass over its DER bytes, without building an object per
 * entry: a CRL of a million entries is tens of megabytes, and a full ASN.1 tree of it costs seconds.
 *
 * <p>Only the outer structure is walked when parsing, with every length checked against its enclosing
 * element; the small parts (names, times, extensions, algorithm) are decoded by BouncyCastle. The
 * signature is later verified over the exact TBS bytes, so nothing is re-encoded. The entries are read
 * only once the CRL is accepted ({@link #serials}), and then only those a previous CRL did not list.
 */
public final class CrlDer {
    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final int EXTENSIONS_TAG = 0xA0;

    final byte[] der;
    final int tbsOffset;
    final int tbsLength;
    final AlgorithmIdentifier signatureAlgorithm;
    final byte[] signature;
    final byte[] issuer;
    final Instant thisUpdate;
    final Instant nextUpdate;
    final Extensions extensions;
    /** Where the content of revokedCertificates starts and ends in {@link #der} (equal when absent). */
    private final int revokedStart;
    private final int revokedEnd;

    /** One TLV: tag, where its content starts, content length. */
    private record Tlv(int tag, int start, int length) {
        int end() {
            return start + length;
        }
    }

    private CrlDer(byte[] der) throws IOException {
        this.der = der;
        Tlv outer = read(0, der.length);
        expect(outer, SEQUENCE, "CertificateList");
        if (outer.end() != der.length) {
            throw new IOException("trailing data after the CRL");
        }
        Tlv tbs = read(outer.start(), outer.end());
        expect(tbs, SEQUENCE, "tbsCertList");
        tbsOffset = tbs.start() - headerLength(tbs);
        tbsLength = tbs.end() - tbsOffset;
        Tlv outerAlg = read(tbs.end(), outer.end());
        expect(outerAlg, SEQUENCE, "signatureAlgorithm");
        signatureAlgorithm = AlgorithmIdentifier.getInstance(primitive(outerAlg));
        Tlv sig = read(outerAlg.end(), outer.end());
        expect(sig, BIT_STRING, "signatureValue");
        if (sig.length() < 2 || der[sig.start()] != 0 || sig.end() != outer.end()) {
            throw new IOException("malformed signature BIT STRING");
        }
        signature = Arrays.copyOfRange(der, sig.start() + 1, sig.end());

        int pos = tbs.start();
        Tlv field = read(pos, tbs.end());
        if (field.tag() == INTEGER) { // version v2
            field = read(field.end(), tbs.end());
        }
        expect(field, SEQUENCE, "signature");
        // RFC 5280 section 5.1.1.2: the inner algorithm MUST equal the outer one.
        if (!Arrays.equals(der, field.start(), field.end(), der, outerAlg.start(), outerAlg.end())) {
            throw new IOException("signature algorithms of TBS and CRL differ");
        }
        Tlv issuerTlv = read(field.end(), tbs.end());
        expect(issuerTlv, SEQUENCE, "issuer");
        issuer = Arrays.copyOfRange(der, issuerTlv.start() - headerLength(issuerTlv), issuerTlv.end());
        Tlv thisTlv = read(issuerTlv.end(), tbs.end());
        thisUpdate = time(thisTlv);
        pos = thisTlv.end();
        Instant next = null;
        Tlv revokedList = null;
        Extensions exts = null;
        while (pos < tbs.end()) {
            Tlv t = read(pos, tbs.end());
            if ((t.tag() == UTC_TIME || t.tag() == GENERALIZED_TIME) && next == null && revokedList == null) {
                next = time(t);
            } else if (t.tag() == SEQUENCE && revokedList == null && exts == null) {
                revokedList = t;
            } else if (t.tag() == EXTENSIONS_TAG && exts == null) {
                Tlv inner = read(t.start(), t.end());
                expect(inner, SEQUENCE, "crlExtensions");
                exts = Extensions.getInstance(primitive(inner));
            } else {
                throw new IOException("unexpected element 0x" + Integer.toHexString(t.tag()) + " in tbsCertList");
            }
            pos = t.end();
        }
        nextUpdate = next;
        revokedStart = revokedList == null ? tbs.end() : revokedList.start();
        revokedEnd = revokedList == null ? tbs.end() : revokedList.end();
        extensions = exts;
    }

    /** @throws IOException when the bytes are not a well-formed CRL */
    public static CrlDer parse(byte[] der) throws IOException {
        try {
            return new CrlDer(der);
        } catch (RuntimeException e) {
            throw new IOException("malformed CRL: " + e.getMessage(), e);
        }
    }

    /**
     * The serials this CRL lists. When its entries begin with exactly the bytes of every entry of
     * {@code previous} (the CA appends each revocation to its list), only the new tail is read and the
     * previous set is shared: a CRL of 100,000 entries that gained one costs one entry, not 100,000.
     *
     * @param previous the last accepted CRL of the same issuer, or null
     * @throws IOException when an entry is malformed
     */
    RevokedSerials serials(CrlSnapshot previous) throws IOException {
        // A snapshot built from a delta lists more than its der: its serials cannot stand for a prefix.
        if (previous != null && previous.complete()) {
            CrlDer before = parse(previous.der());
            int prefix = before.revokedEnd - before.revokedStart;
            if (prefix > 0 && prefix <= revokedEnd - revokedStart
                    && Arrays.equals(der, revokedStart, revokedStart + prefix, before.der, before.revokedStart, before.revokedEnd)) {
                return previous.revokedSerials().plus(serials(revokedStart + prefix, new ArrayList<>()));
            }
        }
        // Straight into the table (not through a list): each serial then sits next to its table node in
        // memory, which keeps lookups in a table of a million entries to one or two cache misses.
        // Entry count is unknown up front; ~50 bytes per entry is a good first guess for the table size.
        return RevokedSerials.owning(serials(revokedStart, new HashSet<>(Math.max(16, (revokedEnd - revokedStart) / 30))));
    }

    /**
     * The serials of a delta CRL (RFC 5280 section 5.2.4), read with BouncyCastle (a delta is small).
     *
     * @throws IOException for a removeFromCRL entry: upki's CA never issues one, and reading it as a
     *     revocation would be wrong while dropping the serial would need the complete CRL anyway
     */
    java.util.List<BigInteger> deltaSerials() throws IOException {
        java.util.List<BigInteger> out = new ArrayList<>();
        try {
            var list = org.bouncycastle.asn1.x509.CertificateList.getInstance(ASN1Primitive.fromByteArray(der));
            for (var entry : list.getRevokedCertificates()) {
                Extensions ext = entry.hasExtensions() ? entry.getExtensions() : null;
                var reason = ext == null ? null : ext.getExtension(org.bouncycastle.asn1.x509.Extension.reasonCode);
                if (reason != null && org.bouncycastle.asn1.x509.CRLReason.getInstance(reason.getParsedValue()).getValue()
                        .intValue() == org.bouncycastle.asn1.x509.CRLReason.removeFromCRL) {
                    throw new IOException("a removeFromCRL entry (serial " + entry.getUserCertificate().getValue().toString(16) + ")");
                }
                out.add(entry.getUserCertificate().getValue());
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException("bad delta CRL entries: " + e.getMessage());
        }
        return out;
    }

    private <C extends Collection<BigInteger>> C serials(int from, C serials) throws IOException {
        int pos = from;
        while (pos < revokedEnd) {
            Tlv entry = read(pos, revokedEnd);
            expect(entry, SEQUENCE, "revokedCertificate");
            Tlv serial = read(entry.start(), entry.end());
            expect(serial, INTEGER, "userCertificate");
            if (serial.length() == 0 || serial.length() > 21) {
                throw new IOException("serial number of " + serial.length() + " octets");
            }
            serials.add(new BigInteger(der, serial.start(), serial.length()));
            pos = entry.end();
        }
        return serials;
    }

    private Instant time(Tlv t) throws IOException {
        if (t.tag() != UTC_TIME && t.tag() != GENERALIZED_TIME) {
            throw new IOException("expected a time, found tag 0x" + Integer.toHexString(t.tag()));
        }
        try {
            return Time.getInstance(primitive(t)).getDate().toInstant();
        } catch (IllegalArgumentException e) {
            throw new IOException("bad time: " + e.getMessage());
        }
    }

    private ASN1Primitive primitive(Tlv t) throws IOException {
        int start = t.start() - headerLength(t);
        return ASN1Primitive.fromByteArray(Arrays.copyOfRange(der, start, t.end()));
    }

    private int headerLength(Tlv t) {
        int len = t.length();
        return 1 + (len < 0x80 ? 1 : 1 + (32 - Integer.numberOfLeadingZeros(len) + 7) / 8);
    }

    private Tlv read(int pos, int limit) throws IOException {
        if (pos + 2 > limit) {
            throw new IOException("truncated element");
        }
        int tag = der[pos] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new IOException("multi-byte tags are not used in CRLs");
        }
        int first = der[pos + 1] & 0xff;
        int start;
        long length;
        if (first < 0x80) {
            length = first;
            start = pos + 2;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4) {
                throw new IOException("indefinite or oversized length");
            }
            if (pos + 2 + n > limit) {
                throw new IOException("truncated length");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (der[pos + 2 + i] & 0xff);
            }
            // DER: the shortest form only (X.690 section 10.1).
            if (length < 0x80 || (der[pos + 2] & 0xff) == 0) {
                throw new IOException("non-minimal length encoding");
            }
            start = pos + 2 + n;
        }
        if (start + length > limit) {
            throw new IOException("element overruns its container");
        }
        return new Tlv(tag, start, (int) length);
    }

    private static void expect(Tlv t, int tag, String what) throws IOException {
        if (t.tag() != tag) {
            throw new IOException(what + ": expected tag 0x" + Integer.toHexString(tag) + ", found 0x"
                    + Integer.toHexString(t.tag()));
        }
    }
}
