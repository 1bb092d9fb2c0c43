package io.upki.acme.store;

import java.time.Instant;

/** An ACME challenge (RFC 8555 section 8) of an authorization, with its token and outcome. */
public record Challenge(String id, String authorizationId, String type, String token, Status status,
                        Instant validated, String error) {
    public static final String HTTP_01 = "http-01";
    public static final String DNS_01 = "dns-01";
    public static final String TLS_ALPN_01 = "tls-alpn-01";

    /** Challenge states (RFC 8555 section 7.1.6). */
    public enum Status { PENDING, PROCESSING, VALID, INVALID }

    public Challenge with(Status s, Instant at, String problem) {
        return new Challenge(id, authorizationId, type, token, s, at, problem);
    }
}
