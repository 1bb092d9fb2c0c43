package io.upki.ra.auth;

import java.math.BigInteger;

/** An authenticated caller: subject (RFC 4514), serial, SHA-256 fingerprint, and whether it is an administrator. */
public record Caller(String subject, BigInteger serial, String fingerprint, boolean admin) {
    public String role() {
        return admin ? "admin" : "client";
    }
}
