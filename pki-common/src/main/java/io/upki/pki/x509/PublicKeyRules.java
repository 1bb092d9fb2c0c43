package io.upki.pki.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The subject keys upki certifies, decided on the encoded SubjectPublicKeyInfo (RFC 5280 section
 * 4.1.2.7) before any provider parses it: RSA (rsaEncryption, RFC 3279 section 2.3.1) of 2048 to 8192
 * bits with public exponent 65537, EC on the named curves P-256, P-384 and P-521 (RFC 5480 section
 * 2.1.1.1), and Ed25519 (RFC 8410). Everything else (other curves such as secp256k1 or brainpool,
 * explicit curve parameters, small RSA exponents, RSASSA-PSS-only keys, DSA) is refused with a reason.
 */
public final class PublicKeyRules {
    /** RSA public exponent F4: small exponents such as 3 are refused as a defence against weak padding. */
    public static final BigInteger RSA_EXPONENT = BigInteger.valueOf(65_537);
    public static final int RSA_MIN_BITS = 2048;
    public static final int RSA_MAX_BITS = 8192;
    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            X9ObjectIdentifiers.prime256v1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384",
            SECObjectIdentifiers.secp521r1, "P-521");

    private PublicKeyRules() {
    }

    /** @return null when the key is accepted, else a one-line reason naming what was refused */
    public static String refusal(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return rsa(spki);
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return ec(spki.getAlgorithm().getParameters());
        }
        if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            // RFC 8410 section 3: the parameters MUST be absent; the key is 32 bytes.
            if (spki.getAlgorithm().getParameters() != null || spki.getPublicKeyData().getBytes().length != 32) {
                return "Ed25519 key is malformed";
            }
            return null;
        }
        return "Key type " + algorithmName(algorithm) + " is not accepted (RSA, EC P-256/P-384/P-521, Ed25519)";
    }

    private static String rsa(SubjectPublicKeyInfo spki) {
        RSAPublicKey key;
        try {
            key = RSAPublicKey.getInstance(spki.parsePublicKey());
        } catch (IOException | IllegalArgumentException e) {
            return "RSA key is malformed";
        }
        int bits = key.getModulus().bitLength();
        if (bits < RSA_MIN_BITS) {
            return "Key length " + bits + " is below minimum (" + RSA_MIN_BITS + " bits)";
        }
        if (bits > RSA_MAX_BITS) {
            return "Key length " + bits + " is above maximum (" + RSA_MAX_BITS + " bits)";
        }
        if (!key.getPublicExponent().equals(RSA_EXPONENT)) {
            return "RSA public exponent " + key.getPublicExponent() + " is not accepted (only 65537)";
        }
        return null;
    }

    private static String ec(ASN1Encodable parameters) {
        if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
            // RFC 5480 section 2.1.1: implicit or explicit parameters MUST NOT be used.
            return "EC key must name its curve (P-256, P-384, P-521)";
        }
        if (CURVES.containsKey(curve)) {
            return null;
        }
        String name = ECNamedCurveTable.getName(curve);
        return "EC curve " + (name == null ? curve.getId() : name) + " is not accepted (P-256, P-384, P-521)";
    }

    private static String algorithmName(ASN1ObjectIdentifier algorithm) {
        if (algorithm.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            return "RSASSA-PSS";
        }
        if (algorithm.equals(EdECObjectIdentifiers.id_Ed448)) {
            return "Ed448";
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_dsa)) {
            return "DSA";
        }
        return algorithm.getId();
    }
}
