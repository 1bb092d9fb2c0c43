package io.upki.pki.trust;

import io.upki.pki.x509.UpkiOids;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;

/** What a leaf certificate must be good for (RFC 5280 section 4.2.1.12 EKU, upki role policies). */
public enum Purpose {
    /** TLS client authentication: the EKU names clientAuth (or anyExtendedKeyUsage). */
    CLIENT_AUTH,
    /** Signing forward-auth assertions: the CA gave it upki's assertion-signer role. */
    ASSERTION_SIGNER;

    private static final String CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU_OID = "2.5.29.37.0";

    boolean permits(X509Certificate leaf) {
        return switch (this) {
            case CLIENT_AUTH -> {
                try {
                    List<String> eku = leaf.getExtendedKeyUsage();
                    // Fail closed: a client certificate must say it is one.
                    yield eku != null && (eku.contains(CLIENT_AUTH_OID) || eku.contains(ANY_EKU_OID));
                } catch (CertificateParsingException e) {
                    yield false;
                }
            }
            case ASSERTION_SIGNER -> hasPolicy(leaf, UpkiOids.ROLE_ASSERTION_SIGNER.getId());
        };
    }

    /** True when the certificate's certificatePolicies extension lists {@code oid}. */
    public static boolean hasPolicy(X509Certificate certificate, String oid) {
        byte[] ext = certificate.getExtensionValue(Extension.certificatePolicies.getId());
        if (ext == null) {
            return false;
        }
        try {
            CertificatePolicies policies = CertificatePolicies.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            for (PolicyInformation info : policies.getPolicyInformation()) {
                if (info.getPolicyIdentifier().getId().equals(oid)) {
                    return true;
                }
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return false;
    }
}
