package io.upki.pki.wire;

/**
 * The one error that crosses the CA wire: a uPKI error family plus a message a client may match on.
 *
 * <p>The code is absent only for uPKI's {@code Invalid JSON: ...} message, which has no prefix.
 */
public final class CaProtocolException extends RuntimeException {
    private final CaErrorCode code;

    public CaProtocolException(CaErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public CaProtocolException(CaErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The uncoded {@code Invalid JSON: <detail>} error. */
    public static CaProtocolException invalidJson(String detail) {
        return new CaProtocolException(null, "Invalid JSON: " + detail);
    }

    public static CaProtocolException missingParameter(String name) {
        return new CaProtocolException(CaErrorCode.COMMUNICATION, "Missing " + name + " parameter");
    }

    /** The certificate a request names is unknown: uPKI's message, upki's {@link CaErrorCode#NOT_FOUND} code. */
    public static CaProtocolException certificateNotFound(String asSent) {
        return new CaProtocolException(CaErrorCode.NOT_FOUND, "Certificate not found: " + asSent);
    }

    public static CaProtocolException unknownTask(String name) {
        return new CaProtocolException(CaErrorCode.COMMUNICATION, "Unknown task: " + name);
    }

    /** May be null for the uncoded invalid-JSON error. */
    public CaErrorCode code() {
        return code;
    }

    /** The {@code MSG} value exactly as it goes on the wire: {@code [code] message}. */
    public String wireMessage() {
        return code == null ? getMessage() : "[" + code.family() + "] " + getMessage();
    }

    /**
     * Reads an error reply back into code and message (used by clients): the envelope's {@code CODE}
     * when it is a finer code of the {@code MSG}'s family, else the family of the prefix.
     */
    public static CaProtocolException fromReply(CaReply.Error reply) {
        CaProtocolException parsed = fromWireMessage(reply.message());
        CaErrorCode finer = reply.code() == null ? null : CaErrorCode.fromCode(reply.code());
        if (finer != null && finer.refinesFamily() && parsed.code != null && parsed.code.code() == finer.family()) {
            return new CaProtocolException(finer, parsed.getMessage());
        }
        return parsed;
    }

    /** Parses a wire {@code MSG} back into code and message (used by clients). */
    public static CaProtocolException fromWireMessage(String msg) {
        if (msg != null && msg.startsWith("[")) {
            int close = msg.indexOf(']');
            if (close > 1) {
                try {
                    CaErrorCode code = CaErrorCode.fromCode(Integer.parseInt(msg.substring(1, close)));
                    if (code != null) {
                        // Drop only the one separator space: the rest is matched exactly by clients, and
                        // "[700] Unknown task: " (no TASK) ends with a space that must survive.
                        String text = msg.substring(close + 1);
                        return new CaProtocolException(code, text.startsWith(" ") ? text.substring(1) : text);
                    }
                } catch (NumberFormatException ignored) {
                    // not a coded message: fall through and keep it whole
                }
            }
        }
        return new CaProtocolException(null, msg == null ? "" : msg);
    }
}
