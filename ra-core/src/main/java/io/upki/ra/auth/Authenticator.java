package io.upki.ra.auth;

import io.javalin.http.Context;
import io.upki.ra.api.ApiException;

/** Establishes the caller of a request, or refuses it (401 unauthenticated, 403 invalid). */
public interface Authenticator {
    Caller authenticate(Context ctx) throws ApiException;
}
