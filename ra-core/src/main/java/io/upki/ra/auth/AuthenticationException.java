package io.upki.ra.auth;

/**
 * Why a caller could not be established: an HTTP status, a stable reason code (as the sidecar's:
 * {@code no_certificate}, {@code revoked}) and a message safe to show the client. The HTTP layer turns
 * it into its error answer; this package knows nothing of that layer.
 */
public final class AuthenticationException extends Exception {
    private final int status;
    private final String reason;

    public AuthenticationException(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
