package io.upki.ca.issue;

import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.x509.Pem;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
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
 * Checks a PKCS#10 request (RFC 2986) before it is signed: it parses, its self-signature proves
 * possession of the key, and the key is strong enough (RSA 2048+, EC P-256/384/521, Ed25519).
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
        PublicKey key;
        try {
            key = new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new CaProtocolException(CaErrorCode.CERTIFICATE, "CSR signature is invalid");
            }
        } catch (OperatorCreationException | PKCSException | org.bouncycastle.openssl.PEMException
                 | IllegalArgumentException e) {
            throw new CaProtocolException(CaErrorCode.CERTIFICATE, "Failed to load CSR: " + e.getMessage());
        }
        checkKey(key);
        return csr;
    }

    static void checkKey(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048) {
                throw new CaProtocolException(CaErrorCode.KEY, "Key length " + bits + " is below minimum (2048 bits)");
            }
            if (bits > 8192) {
                throw new CaProtocolException(CaErrorCode.KEY, "Key length " + bits + " is above maximum (8192 bits)");
            }
            return;
        }
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits != 256 && bits != 384 && bits != 521) {
                throw new CaProtocolException(CaErrorCode.KEY, "EC curve of " + bits + " bits is not accepted (P-256, P-384, P-521)");
            }
            return;
        }
        if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
            return;
        }
        throw new CaProtocolException(CaErrorCode.KEY, "Key type " + key.getAlgorithm() + " is not accepted");
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
