package io.upki.ra.api;

/** The one error of the HTTP boundary: a status and a message safe to show the client. */
public final class ApiException extends Exception {
    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
