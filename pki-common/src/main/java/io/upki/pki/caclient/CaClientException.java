package io.upki.pki.caclient;

import io.upki.pki.wire.CaErrorCode;

/** The one error a {@link CaClient} raises: the CA refused the task, or it could not be reached. */
public final class CaClientException extends RuntimeException {

    /** Why the call failed. */
    public enum Kind {
        /** The CA answered {@code UPKI ERROR}; {@link #code()} and the message are the CA's. */
        REJECTED,
        /** No answer within the timeout (the CA is down, slow or unreachable). */
        UNAVAILABLE,
        /** The CA answered something that is not a valid reply envelope. */
        PROTOCOL
    }

    private final Kind kind;
    private final CaErrorCode code;

    public CaClientException(Kind kind, CaErrorCode code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    /** The CA's error family for {@link Kind#REJECTED}, else null. */
    public CaErrorCode code() {
        return code;
    }
}
