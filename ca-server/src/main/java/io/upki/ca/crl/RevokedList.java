package io.upki.ca.crl;

import io.upki.ca.store.RevokedEntry;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * The CA's revoked certificates as DER-encoded CRL entries, kept in memory so a CRL costs one copy of
 * bytes and one signature instead of a table scan and an encoding of every entry.
 *
 * <p>Loaded once from the store at start, then told of each revocation and each lifted hold after the
 * store committed it and before the change is announced, so a CRL generated after a {@code revoke}
 * reply or a {@code revoked} event always lists that certificate.
 *
 * <p>It also keeps the entries added since the base of the current delta CRLs (RFC 5280 section 5.2.4),
 * so that each CRL can come with a delta naming only what is new since that base.
 */
final class RevokedList {
    private final Map<BigInteger, byte[]> entries = new LinkedHashMap<>();
    private final Map<RevocationReason, byte[]> reasons = new EnumMap<>(RevocationReason.class);
    /** Entries added since the delta base; meaningless until the first {@link #read} made a base. */
    private final Map<BigInteger, byte[]> sinceBase = new LinkedHashMap<>();
    private boolean based;
    /** A hold was lifted since the base: a delta would have to say removeFromCRL, which upki does not issue. */
    private boolean removedSinceBase;
    private long encodedBytes;

    /**
     * One CRL's worth of entries, read at one instant.
     *
     * @param all the content of the complete CRL's {@code revokedCertificates}
     * @param sinceBase the content of the delta CRL's, or null when this read made a new base instead
     */
    record Read(int entries, byte[] all, int deltaEntries, byte[] sinceBase) {
    }

    RevokedList(List<RevokedEntry> stored) {
        for (RevokedEntry e : stored) {
            add(e);
        }
    }

    synchronized void add(RevokedEntry entry) {
        byte[] der = encode(entry);
        byte[] previous = entries.put(entry.serial(), der);
        encodedBytes += der.length - (previous == null ? 0 : previous.length);
        sinceBase.put(entry.serial(), der);
    }

    synchronized void remove(BigInteger serial) {
        byte[] previous = entries.remove(serial);
        if (previous != null) {
            encodedBytes -= previous.length;
            sinceBase.remove(serial);
            removedSinceBase = true;
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /**
     * The content of {@code revokedCertificates} (RFC 5280 section 5.1.2.6, without its own header) of a complete CRL and, at the same instant, those added since the delta base. When
     * there is no base yet, a hold was lifted since, or more than {@code maxDelta} entries were added,
     * this read becomes the new base instead (the caller's CRL is then the base CRL of the next deltas):
     * both happen under one lock, so no revocation falls between a base and its deltas.
     */
    synchronized Read read(int maxDelta) {
        byte[] all = concat(entries.values(), encodedBytes);
        if (based && !removedSinceBase && sinceBase.size() <= maxDelta) {
            long bytes = 0;
            for (byte[] der : sinceBase.values()) {
                bytes += der.length;
            }
            return new Read(entries.size(), all, sinceBase.size(), concat(sinceBase.values(), bytes));
        }
        sinceBase.clear();
        removedSinceBase = false;
        based = true;
        return new Read(entries.size(), all, 0, null);
    }

    private static byte[] concat(Collection<byte[]> parts, long bytes) {
        byte[] out = new byte[Math.toIntExact(bytes)];
        int at = 0;
        for (byte[] der : parts) {
            System.arraycopy(der, 0, out, at, der.length);
            at += der.length;
        }
        return out;
    }

    private byte[] encode(RevokedEntry entry) {
        try {
            byte[] serial = new ASN1Integer(entry.serial()).getEncoded(ASN1Encoding.DER);
            byte[] time = CrlEncoder.timeDer(entry.revokedAt().getEpochSecond());
            // RFC 5280 section 5.3.1: the reasonCode SHOULD be absent rather than unspecified (0).
            byte[] reason = entry.reason() == RevocationReason.UNSPECIFIED ? new byte[0]
                    : reasons.computeIfAbsent(entry.reason(), RevokedList::reasonDer);
            return CrlEncoder.sequence(serial, time, reason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] reasonDer(RevocationReason reason) {
        try {
            return new Extensions(new Extension(Extension.reasonCode, false,
                    new ASN1Enumerated(reason.code()).getEncoded())).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
