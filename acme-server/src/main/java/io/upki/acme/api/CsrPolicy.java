package io.upki.acme.api;

import io.upki.pki.x509.Pem;
import io.upki.pki.x509.PublicKeyRules;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import io.upki.acme.validation.Addresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The finalize CSR rules (RFC 8555 section 7.4): a valid self-signature, an accepted key ({@link PublicKeyRules}) that is not
 * the account key (section 11.1), a subject of at most a CN that is one of the names, and SANs that
 * are exactly the order's identifiers (so every name is in the certificate's SAN): nothing missing, nothing extra. Anything else is a badCSR.
 */
final class CsrPolicy {
    /** A CSR that passed: as PEM for the CA, and the CN to use when its subject is empty. */
    record Accepted(String pem, String fallbackCn) {
    }

    private CsrPolicy() {
    }

    static Accepted check(String csrB64, List<Identifier> identifiers, PublicKey accountKey) throws AcmeProblem {
        return check(csrB64, identifiers, accountKey, null);
    }

    /** @param provider the JCA provider that verifies the CSR's signature, or null for the default */
    static Accepted check(String csrB64, List<Identifier> identifiers, PublicKey accountKey, java.security.Provider provider)
            throws AcmeProblem {
        PKCS10CertificationRequest csr;
        PublicKey key;
        try {
            csr = new PKCS10CertificationRequest(Base64.getUrlDecoder().decode(csrB64));
        } catch (Exception e) {
            throw bad("the csr is not a base64url DER PKCS#10 request with a valid signature");
        }
        // The key is judged on its encoding first: a curve the provider cannot parse is a clear refusal.
        String refusal = PublicKeyRules.refusal(csr.getSubjectPublicKeyInfo());
        if (refusal != null) {
            throw bad(refusal);
        }
        try {
            key = new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
            JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
            if (provider != null) {
                verifiers.setProvider(provider);
            }
            if (!csr.isSignatureValid(verifiers.build(key))) {
                throw bad("the CSR's signature is invalid");
            }
        } catch (AcmeProblem p) {
            throw p;
        } catch (Exception e) {
            throw bad("the csr is not a base64url DER PKCS#10 request with a valid signature");
        }
        if (accountKey != null && Arrays.equals(key.getEncoded(), accountKey.getEncoded())) {
            throw bad("the certificate key must not be the account key (RFC 8555 section 11.1)");
        }
        Set<String> wanted = new TreeSet<>();
        identifiers.forEach(i -> wanted.add(i.value()));
        Set<String> requested = new TreeSet<>(sans(csr));
        String cn = commonName(csr);
        if (cn != null && !wanted.contains(cn)) {
            throw bad("the CSR's CN '" + Identifiers.shorten(cn) + "' is not one of the order's identifiers");
        }
        if (!requested.equals(wanted)) {
            Set<String> missing = new TreeSet<>(wanted);
            missing.removeAll(requested);
            Set<String> extra = new TreeSet<>(requested);
            extra.removeAll(wanted);
            throw bad("the CSR's names must equal the order's identifiers" + (missing.isEmpty() ? "" : "; missing " + missing)
                    + (extra.isEmpty() ? "" : "; not in the order " + extra));
        }
        String fallback = identifiers.stream().filter(i -> !i.isIp()).map(Identifier::value).findFirst()
                .orElse(identifiers.get(0).value());
        return new Accepted(Pem.encode(csr), cn == null ? fallback : null);
    }

    /** Only a CN may be in the subject: the CA copies the subject, and ACME validates names only. */
    private static String commonName(PKCS10CertificationRequest csr) throws AcmeProblem {
        RDN[] rdns = csr.getSubject().getRDNs();
        if (rdns.length == 0) {
            return null;
        }
        if (rdns.length > 1 || rdns[0].isMultiValued() || !rdns[0].getFirst().getType().equals(BCStyle.CN)) {
            throw bad("the CSR's subject may hold a CN only");
        }
        return normalise(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
    }

    private static Set<String> sans(PKCS10CertificationRequest csr) throws AcmeProblem {
        Set<String> out = new HashSet<>();
        for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            if (attribute.getAttrValues().size() == 0) {
                continue;
            }
            GeneralNames names = GeneralNames.fromExtensions(Extensions.getInstance(attribute.getAttrValues().getObjectAt(0)),
                    Extension.subjectAlternativeName);
            if (names == null) {
                continue;
            }
            for (GeneralName n : names.getNames()) {
                if (n.getTagNo() == GeneralName.dNSName) {
                    out.add(n.getName().toString().toLowerCase(Locale.ROOT));
                } else if (n.getTagNo() == GeneralName.iPAddress) {
                    try {
                        out.add(InetAddress.getByAddress(ASN1OctetString.getInstance(n.getName()).getOctets()).getHostAddress());
                    } catch (UnknownHostException e) {
                        throw bad("the CSR has a malformed IP address SAN");
                    }
                } else {
                    throw bad("the CSR may request DNS and IP SANs only");
                }
            }
        }
        return out;
    }

    private static String normalise(String name) {
        return Addresses.isLiteral(name) ? Addresses.literal(name).getHostAddress() : name.toLowerCase(Locale.ROOT);
    }

    private static AcmeProblem bad(String detail) {
        return new AcmeProblem(AcmeError.BAD_CSR, detail);
    }
}
