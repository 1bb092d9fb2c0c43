package io.upki.ra.api;

import io.upki.ra.auth.AuthenticationException;

/** The one error of the HTTP boundary: a status, an optional machine-readable reason and a message safe to show the client. */
public final class ApiException extends Exception {
    private final int status;
    private final String reason;

    public ApiException(int status, String message) {
        this(status, null, message);
    }

    /** @param reason a stable code for the body's {@code reason} (as the sidecar's: {@code no_certificate}), or null */
    public ApiException(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    /** A refused authentication, answered as every other error of this boundary. */
    public static ApiException refused(AuthenticationException e) {
        return new ApiException(e.status(), e.reason(), e.getMessage());
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
