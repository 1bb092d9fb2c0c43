package io.upki.pki.x509;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyQualifierId;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;

/**
 * Roles the CA gives by profile, shown in a certificatePolicies extension (RFC 5280 section 4.2.1.4)
 * that only the CA writes: {@code sign} copies the subject and the SANs of a CSR, never requested
 * extensions, so a requester cannot claim a role.
 *
 * <p>The marker is the policy {@code anyPolicy} with a CPS qualifier naming the role by a UUID URN
 * (RFC 4122), which needs no registration. It is deliberately not a private policy OID: a UUID OID
 * ({@code 2.25.<128-bit>}) makes Go before 1.22 reject the whole certificate (golang/go#60665), and
 * Caddy, Traefik and other Go proxies terminate the client's TLS; these OIDs all fit in 31 bits.
 */
public enum UpkiRole {
    /** Issued under the {@code admin} profile: an administrator of the RA. */
    ADMIN("urn:uuid:62e0859d-bf5f-4ebc-942e-4dc19f4337eb"),
    /** An auth-sidecar's assertion-signing identity (FORWARD-AUTH.md section 3). */
    ASSERTION_SIGNER("urn:uuid:5683c2ae-dfdc-4273-8274-f9f13790757c"),
    /**
     * Issued under the {@code proxy} profile: the TLS client certificate a proxy presents to the
     * auth-sidecar and to ra-core's edge listener (issue #16 M1), which accept no other.
     */
    PROXY("urn:uuid:0b6f1c52-7d0e-4c8e-9a51-3f2d8e6c4a17");

    /** RFC 5280 section 4.2.1.4: anyPolicy, 2.5.29.32.0. */
    static final ASN1ObjectIdentifier ANY_POLICY = new ASN1ObjectIdentifier("2.5.29.32.0");

    private final String urn;

    UpkiRole(String urn) {
        this.urn = urn;
    }

    public String urn() {
        return urn;
    }

    /** The certificatePolicies extension value carrying this role. */
    public CertificatePolicies policies() {
        return new CertificatePolicies(new PolicyInformation(ANY_POLICY, new DERSequence(new PolicyQualifierInfo(urn))));
    }

    /** True when the certificate's certificatePolicies carry this role's marker. */
    public boolean heldBy(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.certificatePolicies.getId());
        if (ext == null) {
            return false;
        }
        try {
            CertificatePolicies policies = CertificatePolicies.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            for (PolicyInformation info : policies.getPolicyInformation()) {
                ASN1Sequence qualifiers = info.getPolicyQualifiers();
                if (qualifiers == null) {
                    continue;
                }
                for (int i = 0; i < qualifiers.size(); i++) {
                    PolicyQualifierInfo q = PolicyQualifierInfo.getInstance(qualifiers.getObjectAt(i));
                    if (PolicyQualifierId.id_qt_cps.equals(q.getPolicyQualifierId())
                            && q.getQualifier() instanceof ASN1String s && urn.equals(s.getString())) {
                        return true;
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return false;
    }
}
