package io.upki.ra.auth;

import io.upki.pki.assertion.Identity;
import io.upki.pki.trust.Role;
import java.math.BigInteger;

/** An authenticated caller: subject (RFC 4514), serial, SHA-256 fingerprint, and its role. */
public record Caller(String subject, BigInteger serial, String fingerprint, Role role) {

    /** The caller a trust pipeline or a sidecar assertion established. */
    static Caller of(Identity id) {
        return new Caller(id.subject(), new BigInteger(id.serialHex(), 16), id.fingerprint(), id.role());
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }
}
