package io.upki.acme.store;

import java.time.Instant;

/** An ACME authorization (RFC 8555 section 7.1.4) of one identifier for one account and order. */
public record Authorization(String id, String accountId, String orderId, Identifier identifier, boolean wildcard,
                            Status status, Instant expires) {
    /** Authorization states (RFC 8555 section 7.1.6). */
    public enum Status { PENDING, VALID, INVALID, DEACTIVATED, EXPIRED, REVOKED }

    public Authorization withStatus(Status s) {
        return new Authorization(id, accountId, orderId, identifier, wildcard, s, expires);
    }
}
