package io.upki.ra.auth;

import io.javalin.http.Context;

/**
 * Establishes the caller of a request, or refuses it: 403 with a reason for every refusal, a missing
 * certificate included (no_certificate); 401 would call for an HTTP authentication scheme (RFC 9110
 * section 15.5.2) that client certificates do not have.
 */
public interface Authenticator {
    Caller authenticate(Context ctx) throws AuthenticationException;
}
