package io.upki.pki.wire;

/** The numeric error families of uPKI's {@code UPKI ERROR} messages, written as a {@code [code]} prefix. */
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
     * upki: this CA is the standby of an active/standby pair and executed nothing; a client may send the
     * same task to another CA of the pair (docs/CA-SERVER.md, "Standby CA"). Not a uPKI family.
     */
    STANDBY(1100);

    private final int code;

    CaErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
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
