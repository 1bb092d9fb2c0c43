package io.upki.pki.crl;

/** A CRL failed an acceptance check; the previously accepted CRL stays in force. */
public final class CrlRejectedException extends Exception {
    /** Which check failed, for logs and metrics. */
    public enum Reason { UNPARSABLE, UNKNOWN_ISSUER, BAD_SIGNATURE, NO_NUMBER, OLDER_NUMBER, EXPIRED, UNSUPPORTED,
        /** A delta CRL whose base is not held: the complete CRL must be fetched instead. */
        DELTA_BASE,
        /** A complete CRL older than a delta already applied: expected while its complete CRL is on its way. */
        BEHIND_DELTA }

    private final Reason reason;

    public CrlRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
