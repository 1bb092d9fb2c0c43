package io.upki.acme.problem;

/**
 * The ACME error types of RFC 8555 section 6.7 (and RFC 9773 none added), each with the HTTP status
 * this server answers it with: the one table of client-facing errors.
 */
public enum AcmeError {
    ACCOUNT_DOES_NOT_EXIST("accountDoesNotExist", 400),
    ALREADY_REVOKED("alreadyRevoked", 400),
    BAD_CSR("badCSR", 400),
    BAD_NONCE("badNonce", 400),
    BAD_PUBLIC_KEY("badPublicKey", 400),
    BAD_REVOCATION_REASON("badRevocationReason", 400),
    BAD_SIGNATURE_ALGORITHM("badSignatureAlgorithm", 400),
    CONNECTION("connection", 400),
    DNS("dns", 400),
    EXTERNAL_ACCOUNT_REQUIRED("externalAccountRequired", 400),
    INCORRECT_RESPONSE("incorrectResponse", 400),
    INVALID_CONTACT("invalidContact", 400),
    MALFORMED("malformed", 400),
    ORDER_NOT_READY("orderNotReady", 403),
    REJECTED_IDENTIFIER("rejectedIdentifier", 400),
    SERVER_INTERNAL("serverInternal", 500),
    TLS("tls", 400),
    UNAUTHORIZED("unauthorized", 403),
    UNSUPPORTED_CONTACT("unsupportedContact", 400),
    UNSUPPORTED_IDENTIFIER("unsupportedIdentifier", 400);

    private final String name;
    private final int status;

    AcmeError(String name, int status) {
        this.name = name;
        this.status = status;
    }

    /** The problem document's {@code type}: {@code urn:ietf:params:acme:error:<name>}. */
    public String urn() {
        return "urn:ietf:params:acme:error:" + name;
    }

    public int status() {
        return status;
    }
}
