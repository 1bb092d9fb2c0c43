package io.upki.pki.x509;

import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

/**
 * The signature algorithms upki accepts on certificates and certificate requests: RSA PKCS#1 v1.5
 * (RFC 4055 section 5) and RSASSA-PSS (RFC 4055 section 3.1) with SHA-256, SHA-384 or SHA-512, ECDSA with
 * SHA-256, SHA-384 or SHA-512 (RFC 5758 section 3.2), Ed25519 and Ed448 (RFC 8410). SHA-1 and MD5 are
 * refused: collisions in them are practical (SHAttered, RFC 6151), so a signature over them proves little.
 */
public final class SignatureAlgorithms {
    private static final Set<ASN1ObjectIdentifier> PLAIN = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384, X9ObjectIdentifiers.ecdsa_with_SHA512,
            EdECObjectIdentifiers.id_Ed25519, EdECObjectIdentifiers.id_Ed448);
    private static final Set<ASN1ObjectIdentifier> PSS_HASHES = Set.of(
            NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);
    private static final Set<ASN1ObjectIdentifier> SHA1 = Set.of(
            PKCSObjectIdentifiers.sha1WithRSAEncryption, X9ObjectIdentifiers.ecdsa_with_SHA1,
            X9ObjectIdentifiers.id_dsa_with_sha1, new ASN1ObjectIdentifier("1.3.14.3.2.29"));
    private static final Set<ASN1ObjectIdentifier> MD = Set.of(
            PKCSObjectIdentifiers.md5WithRSAEncryption, PKCSObjectIdentifiers.md2WithRSAEncryption,
            PKCSObjectIdentifiers.md4WithRSAEncryption);

    private SignatureAlgorithms() {
    }

    /** @return null when the algorithm is accepted, else a one-line reason naming it */
    public static String refusal(AlgorithmIdentifier algorithm) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (PLAIN.contains(oid)) {
            return null;
        }
        if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            return pss(algorithm.getParameters());
        }
        if (SHA1.contains(oid)) {
            return "signature algorithm " + name(oid) + " uses SHA-1, which is not accepted";
        }
        if (MD.contains(oid)) {
            return "signature algorithm " + name(oid) + " uses MD5 or older, which is not accepted";
        }
        return "signature algorithm " + name(oid) + " is not accepted";
    }

    private static String name(ASN1ObjectIdentifier oid) {
        String name = new DefaultAlgorithmNameFinder().getAlgorithmName(oid);
        return name.equals(oid.getId()) ? oid.getId() : name + " (" + oid.getId() + ")";
    }

    /** The same decision for a DER AlgorithmIdentifier's OID and parameters, as the JDK reports them. */
    public static String refusal(String oid, byte[] encodedParameters) {
        ASN1Encodable params = null;
        if (encodedParameters != null) {
            try {
                params = org.bouncycastle.asn1.ASN1Primitive.fromByteArray(encodedParameters);
            } catch (java.io.IOException | IllegalArgumentException e) {
                return "signature algorithm " + oid + " has malformed parameters";
            }
        }
        try {
            return refusal(new AlgorithmIdentifier(new ASN1ObjectIdentifier(oid), params));
        } catch (IllegalArgumentException e) {
            return "signature algorithm " + oid + " is not accepted";
        }
    }

    private static String pss(ASN1Encodable parameters) {
        if (parameters == null || parameters instanceof DERNull) {
            // RFC 4055 section 3.1: absent parameters mean SHA-1 and MGF1 with SHA-1.
            return "RSASSA-PSS with default (SHA-1) parameters is not accepted";
        }
        RSASSAPSSparams pss;
        try {
            pss = RSASSAPSSparams.getInstance(parameters);
        } catch (IllegalArgumentException e) {
            return "RSASSA-PSS parameters are malformed";
        }
        ASN1ObjectIdentifier hash = pss.getHashAlgorithm().getAlgorithm();
        if (!PSS_HASHES.contains(hash)) {
            return "RSASSA-PSS with hash " + hash.getId() + " is not accepted (SHA-256, SHA-384, SHA-512)";
        }
        AlgorithmIdentifier mgf = pss.getMaskGenAlgorithm();
        if (mgf.getAlgorithm().equals(PKCSObjectIdentifiers.id_mgf1)) {
            ASN1ObjectIdentifier mgfHash = AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm();
            if (!PSS_HASHES.contains(mgfHash)) {
                return "RSASSA-PSS with MGF1 hash " + mgfHash.getId() + " is not accepted";
            }
        }
        return null;
    }
}
