package io.upki.ca.lookup;

import io.upki.ca.store.CertificateRecord;
import io.upki.ca.store.CertificateRepository;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.x509.DistinguishedNames;
import java.math.BigInteger;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Finds the certificate a request names. uPKI matches bare CNs only; we also accept {@code /CN=x},
 * a full slash DN, an RFC 4514 DN and an explicit serial. A CN, or a DN of only a CN, names the newest
 * certificate with that CN that is not revoked (else the newest); a fuller DN must match the whole
 * subject by RFC 5280 section 7.1 rules.
 */
public final class CertificateLookup {
    private final CertificateRepository certificates;

    public CertificateLookup(CertificateRepository certificates) {
        this.certificates = certificates;
    }

    /**
     * Resolves by serial when given, else by dn; "not found" echoes what was sent and carries
     * {@link io.upki.pki.wire.CaErrorCode#NOT_FOUND}.
     */
    public CertificateRecord resolve(String dn, BigInteger serial) {
        if (serial != null) {
            return certificates.findBySerial(serial).orElseThrow(() ->
                    CaProtocolException.certificateNotFound("serial " + serial));
        }
        return find(dn).orElseThrow(() ->
                CaProtocolException.certificateNotFound(dn));
    }

    public Optional<CertificateRecord> find(String dn) {
        String text = dn.strip();
        if (text.startsWith("/") || text.contains("=")) {
            X500Name name;
            try {
                name = DistinguishedNames.parse(text);
            } catch (IllegalArgumentException e) {
                name = null; // not a DN after all: fall back to a bare CN such as "a=b"
            }
            if (name != null) {
                if (DistinguishedNames.isCommonNameOnly(name)) {
                    return certificates.findByCommonName(DistinguishedNames.commonName(name));
                }
                return certificates.findBySubjectKey(DistinguishedNames.canonicalKey(name));
            }
        }
        return certificates.findByCommonName(text);
    }
}
