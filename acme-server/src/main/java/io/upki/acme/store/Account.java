package io.upki.acme.store;

import java.time.Instant;
import java.util.List;

/**
 * An ACME account (RFC 8555 section 7.1.2): its key as a public JWK and its RFC 7638 thumbprint, status,
 * contacts, and the External Account Binding key id it was registered with, if any.
 */
public record Account(String id, String thumbprint, String jwk, Status status, List<String> contact, Instant created,
                      String eabKid) {
    /** Account states (RFC 8555 section 7.1.6). */
    public enum Status { VALID, DEACTIVATED, REVOKED }

    public Account {
        contact = List.copyOf(contact);
    }

    public Account withStatus(Status s) {
        return new Account(id, thumbprint, jwk, s, contact, created, eabKid);
    }

    public Account withContact(List<String> c) {
        return new Account(id, thumbprint, jwk, status, c, created, eabKid);
    }

    public Account withKey(String newThumbprint, String newJwk) {
        return new Account(id, newThumbprint, newJwk, status, contact, created, eabKid);
    }
}
