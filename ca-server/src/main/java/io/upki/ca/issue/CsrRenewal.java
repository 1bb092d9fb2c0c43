package io.upki.ca.issue;

import io.upki.ca.revoke.RevocationService;
import io.upki.ca.store.CertificateRecord;
import io.upki.ca.store.CertificateRepository;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.x509.DistinguishedNames;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * {@code renew_csr}: a client's renewal with a new key, as one task. The certificate being renewed
 * must be valid and not revoked; the CSR must ask for exactly its subject and, if it names any, exactly
 * its SANs; the new certificate gets the old subject, SANs and profile and only the CSR's key; the old
 * one is then revoked as superseded (RFC 5280 section 5.3.1). Renewals run one at a time, so one
 * certificate can never be renewed twice.
 */
public final class CsrRenewal {
    private final IssuanceService issuance;
    private final RevocationService revocation;
    private final CertificateRepository certificates;
    private final Clock clock;
    private final Object lock = new Object();

    public CsrRenewal(IssuanceService issuance, RevocationService revocation, CertificateRepository certificates,
                      Clock clock) {
        this.issuance = issuance;
        this.revocation = revocation;
        this.certificates = certificates;
        this.clock = clock;
    }

    public IssuanceService.Issued renew(CertificateRecord target, String csrPem) {
        PKCS10CertificationRequest csr = CsrRules.parseAndVerify(csrPem);
        synchronized (lock) {
            // Re-read under the lock: a renewal or revocation that just finished is seen.
            CertificateRecord existing = certificates.findBySerial(target.serial()).orElse(target);
            if (existing.revoked()) {
                throw new CaProtocolException(CaErrorCode.REVOCATION, "Certificate " + existing.serial().toString(16)
                        + " is revoked (" + existing.revocationReason().wireName() + ") and cannot be renewed");
            }
            if (existing.expiredAt(clock.instant()) || clock.instant().isBefore(existing.notBefore())) {
                throw new CaProtocolException(CaErrorCode.CERTIFICATE, "Certificate " + existing.serial().toString(16)
                        + " is not valid now and cannot be renewed");
            }
            X509CertificateHolder old = IssuanceService.holder(existing);
            checkSubject(csr.getSubject(), old.getSubject());
            GeneralNames requested = CsrRules.requestedSans(csr);
            if (requested != null) {
                checkNames(List.of(requested.getNames()), IssuanceService.sans(old));
            }
            IssuanceService.Issued issued = issuance.renewWithKey(existing, csr.getSubjectPublicKeyInfo());
            revocation.revoke(existing, io.upki.pki.x509.RevocationReason.SUPERSEDED);
            return issued;
        }
    }

    private static void checkSubject(X500Name requested, X500Name old) {
        // RFC 5280 section 7.1 comparison (case and spacing), the same the CA uses to look DNs up.
        if (!DistinguishedNames.canonicalKey(requested).equals(DistinguishedNames.canonicalKey(old))) {
            throw new CaProtocolException(CaErrorCode.CERTIFICATE, "CSR subject " + DistinguishedNames.toSlash(requested)
                    + " is not the subject of the certificate being renewed: " + DistinguishedNames.toSlash(old));
        }
    }

    private static void checkNames(List<GeneralName> requested, List<GeneralName> old) {
        Set<String> asked = keys(requested);
        Set<String> held = keys(old);
        if (!asked.equals(held)) {
            Set<String> extra = new TreeSet<>(asked);
            extra.removeAll(held);
            Set<String> missing = new TreeSet<>(held);
            missing.removeAll(asked);
            throw new CaProtocolException(CaErrorCode.CERTIFICATE, "CSR SANs must be those of the certificate being renewed"
                    + (extra.isEmpty() ? "" : "; not in it: " + extra) + (missing.isEmpty() ? "" : "; missing: " + missing));
        }
    }

    /** Comparable forms: DNS names case-folded (RFC 4343), other names by their DER encoding. */
    private static Set<String> keys(List<GeneralName> names) {
        Set<String> out = new TreeSet<>();
        for (GeneralName name : names) {
            switch (name.getTagNo()) {
                case GeneralName.dNSName -> out.add("DNS:" + name.getName().toString().toLowerCase(Locale.ROOT));
                case GeneralName.rfc822Name -> out.add("EMAIL:" + name.getName().toString());
                case GeneralName.uniformResourceIdentifier -> out.add("URI:" + name.getName().toString());
                case GeneralName.iPAddress -> out.add("IP:" + String.join(",", CsrRules.names(new GeneralNames(name))));
                default -> out.add("DER:" + der(name));
            }
        }
        return out;
    }

    private static String der(GeneralName name) {
        try {
            return HexFormat.of().formatHex(name.getEncoded(ASN1Encoding.DER));
        } catch (java.io.IOException e) {
            throw new CaProtocolException(CaErrorCode.CERTIFICATE, "CSR has a malformed SAN");
        }
    }
}
