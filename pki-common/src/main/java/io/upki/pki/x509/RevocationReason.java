package io.upki.pki.x509;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x509.CRLReason;

/** The CRLReason values of RFC 5280 section 5.3.1, under the names uPKI accepts on the wire. */
public enum RevocationReason {
    UNSPECIFIED("unspecified", CRLReason.unspecified),
    KEY_COMPROMISE("keyCompromise", CRLReason.keyCompromise),
    CA_COMPROMISE("cACompromise", CRLReason.cACompromise),
    AFFILIATION_CHANGED("affiliationChanged", CRLReason.affiliationChanged),
    SUPERSEDED("superseded", CRLReason.superseded),
    CESSATION_OF_OPERATION("cessationOfOperation", CRLReason.cessationOfOperation),
    CERTIFICATE_HOLD("certificateHold", CRLReason.certificateHold),
    REMOVE_FROM_CRL("removeFromCRL", CRLReason.removeFromCRL),
    PRIVILEGE_WITHDRAWN("privilegeWithdrawn", CRLReason.privilegeWithdrawn),
    AA_COMPROMISE("aACompromise", CRLReason.aACompromise);

    private final String wireName;
    private final int code;

    RevocationReason(String wireName, int code) {
        this.wireName = wireName;
        this.code = code;
    }

    public String wireName() {
        return wireName;
    }

    /** The reasonCode value of RFC 5280 section 5.3.1. */
    public int code() {
        return code;
    }

    /** Case-insensitive lookup, as uPKI matches reasons. */
    public static Optional<RevocationReason> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.wireName.toLowerCase(Locale.ROOT).equals(lower)).findFirst();
    }

    public static Optional<RevocationReason> fromCode(int code) {
        return Arrays.stream(values()).filter(r -> r.code == code).findFirst();
    }

    /** The names in uPKI's order, for the "Allowed values" part of its error message. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(RevocationReason::wireName).toList();
    }
}
