package io.upki.pki.crl;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import java.io.OutputStream;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Decides whether a CRL may be used (RFC 5280 section 6.3.3): issued and signed by one of the trusted
 * CAs, a CRL Number not lower than the last accepted from that issuer (also before a restart, when
 * the {@link CrlNumberFloor} is kept in a file), a nextUpdate still ahead, and a complete CRL (no
 * partitioned CRLs, which upki never issues). Delta CRLs are accepted only through {@link #acceptDelta},
 * on top of a complete CRL already held.
 */
public final class CrlAcceptor {
    private final List<X509Certificate> trustedCas;
    private final Clock clock;
    private final Duration grace;
    private final CrlNumberFloor floor;

    /** @param grace how long after nextUpdate a CRL may still be used (0 by default) */
    public CrlAcceptor(List<X509Certificate> trustedCas, Clock clock, Duration grace) {
        this(trustedCas, clock, grace, CrlNumberFloor.inMemory());
    }

    /** @param floor the highest CRL numbers accepted before (kept across restarts when file-backed) */
    public CrlAcceptor(List<X509Certificate> trustedCas, Clock clock, Duration grace, CrlNumberFloor floor) {
        this.trustedCas = List.copyOf(trustedCas);
        this.clock = clock;
        this.grace = grace;
        this.floor = floor;
    }

    /**
     * Records CRLs that were put in force, so that no older one is accepted later, even after a restart.
     *
     * @throws java.io.IOException when the floor's file cannot be written
     */
    public void accepted(List<CrlSnapshot> crls) throws IOException {
        floor.raise(crls);
    }

    public Duration grace() {
        return grace;
    }

    /**
     * Verifies one DER CRL against the index of what was accepted before.
     *
     * @throws CrlRejectedException saying which check failed
     */
    public CrlSnapshot accept(byte[] der, RevocationIndex previous) throws CrlRejectedException {
        CrlDer crl = parse(der);
        Extensions extensions = crl.extensions;
        // RFC 5280 section 5.2.4: the Delta CRL Indicator is critical precisely so that a delta is never
        // taken for a complete CRL (which would forget every revocation before its base).
        if (extensions != null && (extensions.getExtension(Extension.deltaCRLIndicator) != null
                || extensions.getExtension(Extension.issuingDistributionPoint) != null)) {
            throw new CrlRejectedException(CrlRejectedException.Reason.UNSUPPORTED, "delta or partitioned CRL");
        }
        X509Certificate issuer = findIssuer(crl, extensions);
        BigInteger number = crlNumber(extensions);
        checkCurrent(crl, issuer, number);
        CrlSnapshot last = previous.snapshotFor(issuer);
        if (last != null) {
            int cmp = number.compareTo(last.number());
            if (cmp < 0 && !last.complete()) {
                throw new CrlRejectedException(CrlRejectedException.Reason.BEHIND_DELTA, "CRL " + number + " of "
                        + issuer.getSubjectX500Principal() + " is older than delta CRL " + last.number() + ", applied already");
            }
            // The same number again is the same CRL, unless what is held was built from the delta issued with it.
            if (cmp < 0 || (cmp == 0 && last.complete() && !Arrays.equals(der, last.der()))) {
                throw new CrlRejectedException(CrlRejectedException.Reason.OLDER_NUMBER, "CRL number " + number
                        + " of " + issuer.getSubjectX500Principal() + " is not above the accepted " + last.number());
            }
        }
        checkFloor(issuer, number, der, true);
        RevokedSerials serials;
        try {
            // Entries are read only now that the signature is known to be the CA's.
            serials = crl.serials(last);
        } catch (IOException e) {
            throw new CrlRejectedException(CrlRejectedException.Reason.UNPARSABLE, "not a CRL: " + e.getMessage());
        }
        return new CrlSnapshot(issuer, number, crl.thisUpdate, crl.nextUpdate, serials, der);
    }

    /**
     * Verifies a delta CRL (RFC 5280 section 5.2.4) and applies it to the CRL held for its issuer: it must
     * carry a Delta CRL Indicator, be signed by a trusted CA, be current, name a base no newer than the
     * held CRL and a number above it. The result lists the held serials plus the delta's, with the
     * delta's number and validity; it is marked not complete, so the complete CRL of the same number may
     * still replace it and it never raises the persisted number floor.
     *
     * @throws CrlRejectedException DELTA_BASE when no CRL at or above the base is held (fetch the complete one)
     */
    public CrlSnapshot acceptDelta(byte[] der, RevocationIndex previous) throws CrlRejectedException {
        CrlDer crl = parse(der);
        Extensions extensions = crl.extensions;
        Extension indicator = extensions == null ? null : extensions.getExtension(Extension.deltaCRLIndicator);
        if (indicator == null || !indicator.isCritical()) {
            throw new CrlRejectedException(CrlRejectedException.Reason.UNSUPPORTED, "not a delta CRL (no critical Delta CRL Indicator)");
        }
        if (extensions.getExtension(Extension.issuingDistributionPoint) != null) {
            throw new CrlRejectedException(CrlRejectedException.Reason.UNSUPPORTED, "partitioned delta CRL");
        }
        X509Certificate issuer = findIssuer(crl, extensions);
        BigInteger number = crlNumber(extensions);
        BigInteger base = ASN1Integer.getInstance(indicator.getParsedValue()).getValue();
        checkCurrent(crl, issuer, number);
        CrlSnapshot held = previous.snapshotFor(issuer);
        if (held == null || held.number().compareTo(base) < 0) {
            throw new CrlRejectedException(CrlRejectedException.Reason.DELTA_BASE, "delta CRL " + number + " of "
                    + issuer.getSubjectX500Principal() + " adds to CRL " + base + ", but "
                    + (held == null ? "no CRL" : "CRL " + held.number()) + " is held");
        }
        if (number.compareTo(held.number()) <= 0) {
            throw new CrlRejectedException(CrlRejectedException.Reason.OLDER_NUMBER, "delta CRL " + number + " of "
                    + issuer.getSubjectX500Principal() + " is not above the held " + held.number());
        }
        checkFloor(issuer, number, der, false);
        java.util.List<BigInteger> added;
        try {
            added = crl.deltaSerials();
        } catch (IOException e) {
            throw new CrlRejectedException(CrlRejectedException.Reason.UNSUPPORTED, "delta CRL: " + e.getMessage());
        }
        return new CrlSnapshot(issuer, number, crl.thisUpdate, crl.nextUpdate, held.revokedSerials().plus(added),
                held.der(), false);
    }

    private static CrlDer parse(byte[] der) throws CrlRejectedException {
        try {
            return CrlDer.parse(der);
        } catch (IOException e) {
            throw new CrlRejectedException(CrlRejectedException.Reason.UNPARSABLE, "not a CRL: " + e.getMessage());
        }
    }

    /** RFC 5280 section 6.3.3 (a)(2): a CRL past its nextUpdate (plus the grace) decides nothing. */
    private void checkCurrent(CrlDer crl, X509Certificate issuer, BigInteger number) throws CrlRejectedException {
        if (crl.nextUpdate == null) {
            throw new CrlRejectedException(CrlRejectedException.Reason.EXPIRED, "CRL has no nextUpdate");
        }
        if (!clock.instant().isBefore(crl.nextUpdate.plus(grace))) {
            throw new CrlRejectedException(CrlRejectedException.Reason.EXPIRED, "CRL " + number + " of "
                    + issuer.getSubjectX500Principal() + " expired at " + crl.nextUpdate);
        }
    }

    /**
     * The number must not be below the highest accepted before a restart; a complete CRL of that very
     * number must be the same bytes, a delta must be above it.
     */
    private void checkFloor(X509Certificate issuer, BigInteger number, byte[] der, boolean complete)
            throws CrlRejectedException {
        CrlNumberFloor.Mark mark = floor.of(issuer);
        if (mark != null) {
            int cmp = number.compareTo(mark.number());
            if (cmp < 0 || (cmp == 0 && (!complete || !CrlNumberFloor.sha256(der).equals(mark.sha256())))) {
                throw new CrlRejectedException(CrlRejectedException.Reason.OLDER_NUMBER, "CRL number " + number
                        + " of " + issuer.getSubjectX500Principal() + " is not above " + mark.number()
                        + ", the highest accepted before (kept across restarts)");
            }
        }
    }

    private X509Certificate findIssuer(CrlDer crl, Extensions extensions) throws CrlRejectedException {
        X500Principal issuerName;
        try {
            issuerName = new X500Principal(crl.issuer);
        } catch (IllegalArgumentException e) {
            throw new CrlRejectedException(CrlRejectedException.Reason.UNPARSABLE, "bad CRL issuer");
        }
        byte[] aki = authorityKeyId(extensions);
        boolean nameKnown = false;
        for (X509Certificate ca : trustedCas) {
            if (!ca.getSubjectX500Principal().equals(issuerName)) {
                continue;
            }
            nameKnown = true;
            if (aki != null && !Arrays.equals(aki, subjectKeyId(ca))) {
                continue;
            }
            if (signatureValid(crl, ca.getPublicKey())) {
                boolean[] ku = ca.getKeyUsage();
                if (ku != null && (ku.length < 7 || !ku[6])) {
                    throw new CrlRejectedException(CrlRejectedException.Reason.UNKNOWN_ISSUER,
                            ca.getSubjectX500Principal() + " may not sign CRLs");
                }
                return ca;
            }
        }
        if (nameKnown) {
            throw new CrlRejectedException(CrlRejectedException.Reason.BAD_SIGNATURE,
                    "CRL signature does not verify with the key of " + issuerName);
        }
        throw new CrlRejectedException(CrlRejectedException.Reason.UNKNOWN_ISSUER, "CRL issuer " + issuerName
                + " is not a trusted CA");
    }

    /** Verifies the signature over the exact TBS bytes as received (nothing re-encoded). */
    private static boolean signatureValid(CrlDer crl, PublicKey key) {
        try {
            ContentVerifier verifier = new JcaContentVerifierProviderBuilder().build(key).get(crl.signatureAlgorithm);
            try (OutputStream out = verifier.getOutputStream()) {
                out.write(crl.der, crl.tbsOffset, crl.tbsLength);
            }
            return verifier.verify(crl.signature);
        } catch (OperatorCreationException | IOException | RuntimeException e) {
            return false;
        }
    }

    private static BigInteger crlNumber(Extensions extensions) throws CrlRejectedException {
        Extension ext = extensions == null ? null : extensions.getExtension(Extension.cRLNumber);
        if (ext == null) {
            // Without a number, a replayed older CRL cannot be told from a new one.
            throw new CrlRejectedException(CrlRejectedException.Reason.NO_NUMBER, "CRL has no CRL Number");
        }
        return ASN1Integer.getInstance(ext.getParsedValue()).getValue();
    }

    private static byte[] authorityKeyId(Extensions extensions) {
        Extension ext = extensions == null ? null : extensions.getExtension(Extension.authorityKeyIdentifier);
        if (ext == null) {
            return null;
        }
        ASN1OctetString id = AuthorityKeyIdentifier.getInstance(ext.getParsedValue()).getKeyIdentifierObject();
        return id == null ? null : id.getOctets();
    }

    private static byte[] subjectKeyId(X509Certificate ca) {
        byte[] ext = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return null;
        }
        return ASN1OctetString.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getOctets();
    }
}
