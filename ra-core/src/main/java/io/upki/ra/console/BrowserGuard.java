package io.upki.ra.console;

import io.javalin.http.Context;
import io.upki.ra.api.ApiException;
import io.upki.ra.auth.Caller;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a browser needs that an API client does not: the browser sends the admin's client certificate on
 * every request, a forged cross-site one included, so every state-changing form carries an anti-CSRF
 * token bound to a session cookie and to the caller's certificate, and every page forbids framing and
 * inline code. The token is an HMAC of the session id and the certificate fingerprint under a key made
 * at start: nothing is stored, a restart ends every session, and a token taken from one admin's page
 * is worthless with another certificate.
 */
final class BrowserGuard {
    /** {@code __Host-}: only set over HTTPS, for the whole host, never for a parent domain (RFC 6265bis section 4.1.3.2). */
    static final String COOKIE = "__Host-upki-console";
    static final String FIELD = "csrf";
    static final String CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
            + "object-src 'none'";

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    BrowserGuard() {
        byte[] k = new byte[32];
        random.nextBytes(k);
        key = new SecretKeySpec(k, "HmacSHA256");
    }

    /** The headers of every console answer, refusals included. */
    static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    /** The session of this browser, a new one (and its cookie) when it has none. */
    String session(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id != null && id.matches("[A-Za-z0-9_-]{43}")) {
            return id;
        }
        byte[] b = new byte[32];
        random.nextBytes(b);
        id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        // SameSite=Strict: a request another site starts carries no session, so its form cannot pass.
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Path=/; Secure; HttpOnly; SameSite=Strict");
        return id;
    }

    /** The token this session's forms carry for {@code caller}. */
    String token(String session, Caller caller) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(session.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            mac.update(caller.fingerprint().getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Refuses a state change that another site started (Fetch Metadata, where the browser sends it), that
     * comes without this browser's session cookie, or whose form token is not the session's.
     */
    void checkForm(Context ctx, Caller caller) throws ApiException {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new ApiException(403, "cross_site", "a change must come from the console's own pages");
        }
        String session = ctx.cookie(COOKIE);
        if (session == null || !session.matches("[A-Za-z0-9_-]{43}")) {
            throw new ApiException(403, "csrf", "no console session: reload the page and try again");
        }
        String sent = ctx.formParam(FIELD);
        byte[] expected = token(session, caller).getBytes(StandardCharsets.US_ASCII);
        if (sent == null || !MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(403, "csrf", "the form's anti-CSRF token is missing or stale: reload the page");
        }
    }
}
