package io.upki.pki.wire;

/**
 * The numeric error families of uPKI's {@code UPKI ERROR} messages, written as a {@code [code]} prefix,
 * and upki's finer codes. A finer code keeps its uPKI family in the prefix, so uPKI clients read the same
 * {@code MSG}, and travels as the envelope's {@code CODE} key (CA-PROTOCOL.md section 2): clients map
 * errors by these codes, never by message text.
 */
public enum CaErrorCode {
    STORAGE(100),
    VALIDATION(200),
    CERTIFICATE(300),
    KEY(400),
    PROFILE(500),
    AUTHORITY(600),
    COMMUNICATION(700),
    CONFIG(800),
    REVOCATION(900),
    /** upki: the authenticated client's role does not permit the task (docs/SECURITY.md); not a uPKI family. */
    PERMISSION(1000),
    /**
     * upki: the certificate a task names (by {@code dn}, {@code cn} or {@code serial}) is not in the
     * store. The {@code MSG} stays uPKI's {@code [300] Certificate not found: ...}; {@code CODE} is 1100.
     */
    NOT_FOUND(1100, 300),
    /**
     * upki: this CA is the standby of an active/standby pair and executed nothing; a client may send the
     * same task to another CA of the pair (docs/CA-SERVER.md, "Standby CA"). Not a uPKI family.
     */
    STANDBY(1200);

    private final int code;
    private final int family;

    CaErrorCode(int code) {
        this(code, code);
    }

    CaErrorCode(int code, int family) {
        this.code = code;
        this.family = family;
    }

    public int code() {
        return code;
    }

    /** The number written as the {@code MSG}'s {@code [code]} prefix: uPKI's family, for a finer code too. */
    public int family() {
        return family;
    }

    /** True for upki's finer codes, which the envelope carries as {@code CODE} besides the prefix. */
    public boolean refinesFamily() {
        return family != code;
    }

    /** Returns the family for a numeric code, or {@code null} when the code is not one of uPKI's. */
    public static CaErrorCode fromCode(int code) {
        for (CaErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
