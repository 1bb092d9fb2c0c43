package io.upki.ca.issue;

import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.x509.Pem;
import io.upki.pki.x509.PublicKeyRules;
import io.upki.pki.x509.SignatureAlgorithms;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.Attribute;

/**
 * Checks a PKCS#10 request (RFC 2986) before it is signed: it parses, it is signed with an accepted
 * algorithm (no SHA-1 or MD5, {@link SignatureAlgorithms}), its self-signature proves possession of the
 * key, and the key is one upki certifies ({@link PublicKeyRules}: RSA 2048+ with e = 65537, EC P-256/384/521,
 * Ed25519). The key is judged on its encoding before any provider parses it, so an unusual curve is a
 * clear refusal rather than a provider failure.
 */
public final class CsrRules {
    private CsrRules() {
    }

    public static PKCS10CertificationRequest parseAndVerify(String pem) {
        PKCS10CertificationRequest csr;
        try {
            csr = Pem.parseCsr(pem);
        } catch (IllegalArgumentException e) {
            throw new CaProtocolException(CaErrorCode.CERTIFICATE, "Failed to load CSR: " + e.getMessage());
        }
        String weak = SignatureAlgorithms.refusal(csr.getSignatureAlgorithm());
        if (weak != null) {
            // The CSR's signature only proves possession of the key, but over SHA-1 it proves it weakly.
            throw new CaProtocolException(CaErrorCode.CERTIFICATE, "CSR " + weak);
        }
        String badKey = PublicKeyRules.refusal(csr.getSubjectPublicKeyInfo());
        if (badKey != null) {
            throw new CaProtocolException(CaErrorCode.KEY, badKey);
        }
        try {
            PublicKey key = new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new CaProtocolException(CaErrorCode.CERTIFICATE, "CSR signature is invalid");
            }
        } catch (OperatorCreationException | PKCSException | org.bouncycastle.openssl.PEMException
                 | RuntimeException e) {
            if (e instanceof CaProtocolException p) {
                throw p;
            }
            throw new CaProtocolException(CaErrorCode.CERTIFICATE, "Failed to load CSR: " + e.getMessage());
        }
        return csr;
    }

    /** The DNS names and IP addresses (textual, as BouncyCastle prints them) among {@code names}. */
    public static Set<String> names(GeneralNames names) {
        Set<String> out = new HashSet<>();
        for (GeneralName name : names.getNames()) {
            if (name.getTagNo() == GeneralName.dNSName) {
                out.add(name.getName().toString().toLowerCase(Locale.ROOT));
            } else if (name.getTagNo() == GeneralName.iPAddress) {
                byte[] octets = ASN1OctetString.getInstance(name.getName()).getOctets();
                try {
                    out.add(InetAddress.getByAddress(octets).getHostAddress());
                } catch (UnknownHostException e) {
                    // not an address length: no name
                }
            }
        }
        return out;
    }

    /** The SANs requested in the CSR's extensionRequest attribute (RFC 2985 section 5.4.2), if any. */
    public static GeneralNames requestedSans(PKCS10CertificationRequest csr) {
        for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            if (attribute.getAttrValues().size() == 0) {
                continue;
            }
            Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
            GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
            if (names != null) {
                return names;
            }
        }
        return null;
    }
}
