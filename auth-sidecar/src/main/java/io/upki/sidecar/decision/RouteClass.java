package io.upki.sidecar.decision;

/** What a route requires of the caller. */
public enum RouteClass {
    /** No certificate needed (CRL, CA certificate, health, ACME). */
    PUBLIC,
    /** Any valid, unrevoked client certificate. */
    CLIENT,
    /** An administrator's certificate. */
    ADMIN,
    /** Nothing is allowed: the default for paths no rule names (fail closed). */
    DENY
}
