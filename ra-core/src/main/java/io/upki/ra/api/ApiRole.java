package io.upki.ra.api;

import io.javalin.security.RouteRole;

/** Who may call a route of the RA's API: declared on each route line, checked once before its handler. */
public enum ApiRole implements RouteRole {
    /** Anyone, without a certificate. */
    PUBLIC,
    /** A valid client certificate whose subject is in the CA's admin list. */
    ADMIN,
    /** Any valid client certificate, about its own certificate only. */
    CLIENT
}
