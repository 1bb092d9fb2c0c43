package io.upki.ca.profile;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/** The key usage (RFC 5280 section 4.2.1.3) and extended key usage (4.2.1.12) names profiles use. */
public final class Usages {
    private Usages() {
    }

    /** uPKI's names to KeyUsage bits, in the bit order of RFC 5280. */
    public static final Map<String, Integer> KEY_USAGES;
    /** uPKI's names to key purpose OIDs. */
    public static final Map<String, KeyPurposeId> EXTENDED_KEY_USAGES;

    static {
        Map<String, Integer> ku = new LinkedHashMap<>();
        ku.put("digitalSignature", KeyUsage.digitalSignature);
        ku.put("nonRepudiation", KeyUsage.nonRepudiation);
        ku.put("keyEncipherment", KeyUsage.keyEncipherment);
        ku.put("dataEncipherment", KeyUsage.dataEncipherment);
        ku.put("keyAgreement", KeyUsage.keyAgreement);
        ku.put("keyCertSign", KeyUsage.keyCertSign);
        ku.put("cRLSign", KeyUsage.cRLSign);
        ku.put("encipherOnly", KeyUsage.encipherOnly);
        ku.put("decipherOnly", KeyUsage.decipherOnly);
        KEY_USAGES = Map.copyOf(ku);

        Map<String, KeyPurposeId> eku = new LinkedHashMap<>();
        eku.put("serverAuth", KeyPurposeId.id_kp_serverAuth);
        eku.put("clientAuth", KeyPurposeId.id_kp_clientAuth);
        eku.put("codeSigning", KeyPurposeId.id_kp_codeSigning);
        eku.put("emailProtection", KeyPurposeId.id_kp_emailProtection);
        eku.put("timeStamping", KeyPurposeId.id_kp_timeStamping);
        eku.put("OCSPSigning", KeyPurposeId.id_kp_OCSPSigning);
        EXTENDED_KEY_USAGES = Map.copyOf(eku);
    }
}
