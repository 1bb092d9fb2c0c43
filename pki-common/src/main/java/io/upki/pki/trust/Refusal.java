package io.upki.pki.trust;

/**
 * Why a client certificate was refused: a stable machine-readable reason and the HTTP status a
 * forward-auth answer uses, 403 for every refusal. A missing certificate is 403 too, as the user guide
 * promises: 401 would call for an HTTP authentication scheme (RFC 9110 section 15.5.2, a
 * {@code WWW-Authenticate} challenge) that client certificates do not have.
 */
public enum Refusal {
    NO_CERTIFICATE(403, "no client certificate"),
    BAD_REQUEST(403, "the original request URI is missing or unsafe"),
    MALFORMED_HEADER(403, "the certificate header is malformed"),
    HEADER_TOO_LARGE(403, "the certificate header is too large"),
    TOO_MANY_CERTIFICATES(403, "too many certificates in the header"),
    BAD_CERTIFICATE(403, "the certificate cannot be parsed"),
    UNKNOWN_CA(403, "the certificate does not chain to a trusted CA"),
    EXPIRED(403, "a certificate in the path has expired"),
    NOT_YET_VALID(403, "a certificate in the path is not yet valid"),
    WRONG_USAGE(403, "the certificate is not for client authentication"),
    CA_CERTIFICATE(403, "a CA certificate cannot authenticate a client"),
    REVOKED(403, "the certificate is revoked"),
    NO_CRL(403, "no current CRL to check revocation"),
    NOT_ADMIN(403, "the certificate is not an administrator's"),
    NOT_ALLOWED(403, "no client certificate is accepted on this route"),
    WEAK_SIGNATURE(403, "a certificate in the path is signed with a weak or unknown algorithm"),
    UNKNOWN_CRITICAL_EXTENSION(403, "a certificate in the path has a critical extension that is not understood");

    private final int status;
    private final String message;

    Refusal(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }

    /** The reason as it appears in JSON bodies, metrics and audit lines: {@code unknown_ca}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
