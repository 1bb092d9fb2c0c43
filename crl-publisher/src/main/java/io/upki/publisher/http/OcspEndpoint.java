package io.upki.publisher.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.upki.publisher.ocsp.OcspResponder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * OCSP over HTTP (RFC 6960 appendix A.1): {@code POST /ocsp} with the DER request as the body, and
 * {@code GET /ocsp/<url-encoded base64 of the DER request>}. Every answer is an OCSPResponse, also for
 * a body that is too large (413) or another method (405); GET answers carry the caching headers of
 * RFC 5019 section 6.2, never past nextUpdate.
 */
public final class OcspEndpoint {
    /** Requests are a few hundred bytes; a larger body is refused before it is read. */
    public static final int MAX_REQUEST = 4096;
    static final String PATH = "/ocsp";
    private static final String CONTENT_TYPE = "application/ocsp-response";

    private final OcspResponder responder;
    private final Clock clock;
    private final Duration maxAge;

    /** @param maxAge Cache-Control max-age of GET answers (never past nextUpdate) */
    public OcspEndpoint(OcspResponder responder, Clock clock, Duration maxAge) {
        this.responder = responder;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    void register(JavalinDefaultRoutingApi routes) {
        routes.post(PATH, this::post);
        routes.post(PATH + "/", this::post);
        routes.get(PATH + "/<request>", this::get);
        routes.get(PATH, this::get);
        Handler wrongMethod = this::wrongMethod;
        for (String path : new String[] {PATH, PATH + "/<request>"}) {
            routes.put(path, wrongMethod);
            routes.patch(path, wrongMethod);
            routes.delete(path, wrongMethod);
        }
    }

    private void post(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_REQUEST) {
            send(ctx, 413, responder.malformed(), false);
            return;
        }
        byte[] body;
        try {
            body = readAtMost(ctx.req().getInputStream(), MAX_REQUEST + 1);
        } catch (IOException | RuntimeException e) {
            // A broken chunked encoding or a body cut short: still an OCSP answer, not a 500.
            send(ctx, 400, responder.malformed(), false);
            return;
        }
        if (body.length > MAX_REQUEST) {
            send(ctx, 413, responder.malformed(), false);
            return;
        }
        // POST answers are not cached by HTTP caches (RFC 5019 section 5): no validity headers.
        send(ctx, 200, responder.respond(body), false);
    }

    private void get(Context ctx) {
        // The raw path: the servlet's decoded one would have turned %2F into a path separator.
        String uri = ctx.req().getRequestURI();
        String encoded = uri.length() <= PATH.length() + 1 ? "" : uri.substring(PATH.length() + 1);
        if (encoded.length() > 2 * MAX_REQUEST) {
            send(ctx, 413, responder.malformed(), false);
            return;
        }
        byte[] der;
        try {
            der = base64(percentDecode(encoded));
        } catch (IllegalArgumentException e) {
            send(ctx, 200, responder.malformed(), false);
            return;
        }
        if (der.length == 0 || der.length > MAX_REQUEST) {
            send(ctx, der.length == 0 ? 200 : 413, responder.malformed(), false);
            return;
        }
        send(ctx, 200, responder.respond(der), true);
    }

    private void wrongMethod(Context ctx) {
        ctx.header("Allow", "GET, POST");
        send(ctx, 405, responder.malformed(), false);
    }

    private void send(Context ctx, int status, OcspResponder.Answer answer, boolean cacheable) {
        ctx.status(status).contentType(CONTENT_TYPE);
        if (cacheable && answer.successful()) {
            Instant now = clock.instant();
            long seconds = Math.max(0, Math.min(maxAge.toSeconds(), Duration.between(now, answer.nextUpdate()).toSeconds()));
            ctx.header("Cache-Control", "max-age=" + seconds + ", public, no-transform, must-revalidate");
            ctx.header("Last-Modified", http(answer.thisUpdate()));
            ctx.header("Expires", http(answer.nextUpdate()));
        } else {
            ctx.header("Cache-Control", "no-store");
        }
        ctx.result(answer.der());
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] buffer = new byte[1024];
        int n;
        while (out.size() < limit && (n = in.read(buffer, 0, Math.min(buffer.length, limit - out.size()))) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Percent-decoding of a path segment (RFC 3986 section 2.1). Unlike form decoding, '+' stays '+':
     * it is a base64 character that clients such as nginx escape but others may not.
     */
    static String percentDecode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("truncated percent escape");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad percent escape");
                }
                out.append((char) (hi * 16 + lo));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Base64 with or without padding, in the standard or the URL-safe alphabet. */
    static byte[] base64(String text) {
        String t = text.strip();
        return t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(t) : Base64.getDecoder().decode(t);
    }

    private static String http(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
    }
}
