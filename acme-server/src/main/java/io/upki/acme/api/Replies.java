package io.upki.acme.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

/** How ACME responses are written: JSON bodies, Location, Link relations and Retry-After (RFC 8555 section 7). */
final class Replies {
    /** Seconds a client should wait before polling a pending or processing object. */
    static final int RETRY_AFTER_SECONDS = 1;

    private Replies() {
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    static void location(Context ctx, String url) {
        ctx.header("Location", url);
    }

    static void link(Context ctx, String url, String rel) {
        ctx.res().addHeader("Link", "<" + url + ">;rel=\"" + rel + "\"");
    }

    static void retryAfter(Context ctx) {
        ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }
}
