package io.upki.acme.store;

import java.time.Instant;
import java.util.List;

/**
 * An ACME order (RFC 8555 section 7.1.3) with its authorizations, the problem that made it invalid
 * (JSON, or null), the certificate once issued, and the certificate it replaces (RFC 9773 section 5).
 */
public record Order(String id, String accountId, Status status, Instant expires, List<Identifier> identifiers,
                    List<String> authorizationIds, String error, String certificateId, String replaces) {
    /** Order states (RFC 8555 section 7.1.6). */
    public enum Status { PENDING, READY, PROCESSING, VALID, INVALID }

    public Order {
        identifiers = List.copyOf(identifiers);
        authorizationIds = List.copyOf(authorizationIds);
    }

    public Order withStatus(Status s, String problem) {
        return new Order(id, accountId, s, expires, identifiers, authorizationIds, problem, certificateId, replaces);
    }

    public Order withCertificate(String certId) {
        return new Order(id, accountId, Status.VALID, expires, identifiers, authorizationIds, null, certId, replaces);
    }
}
