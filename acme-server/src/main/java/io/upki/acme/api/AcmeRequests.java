package io.upki.acme.api;

import com.nimbusds.jose.jwk.JWK;
import io.javalin.http.Context;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.jws.FlattenedJws;
import io.upki.acme.jws.JwsVerifier;
import io.upki.acme.store.Nonces;
import io.upki.acme.store.Account;
import io.upki.acme.store.AcmeStore;
import java.text.ParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates an ACME POST (RFC 8555 section 6.2 to 6.5): content type and size, flattened JWS,
 * allowed algorithm, exactly one of {@code jwk} (new account, revocation by certificate key) or
 * {@code kid} (everything else), {@code url} equal to the request's URL, the signature, an existing
 * and valid account, and a nonce used for the first and only time.
 */
final class AcmeRequests {
    /** Which key reference a route accepts (RFC 8555 section 6.2). */
    enum KeyRule { JWK, KID, EITHER }

    private static final Logger LOG = LoggerFactory.getLogger("upki.audit");
    private final JwsVerifier verifier;
    private final Nonces nonces;
    private final AcmeStore store;
    private final int maxBody;
    /** Parsed account keys by their stored JSON: a known account's key is parsed once, not on every request. */
    private final java.util.Map<String, JWK> storedKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHED_KEYS = 4096;

    AcmeRequests(JwsVerifier verifier, Nonces nonces, AcmeStore store, int maxBody) {
        this.verifier = verifier;
        this.nonces = nonces;
        this.store = store;
        this.maxBody = maxBody;
    }

    AcmeRequest authenticate(Context ctx, AcmeUrls urls, KeyRule rule) throws AcmeProblem {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/jose+json")) {
            throw AcmeProblem.withStatus(AcmeError.MALFORMED, 415, "requests must be application/jose+json");
        }
        if (ctx.contentLength() > maxBody) {
            throw AcmeProblem.withStatus(AcmeError.MALFORMED, 413, "request body over " + maxBody + " bytes");
        }
        byte[] body;
        try {
            body = ctx.bodyAsBytes();
        } catch (io.javalin.http.HttpResponseException e) {
            // Javalin's own bound (maxRequestSize) on a body sent without Content-Length
            throw AcmeProblem.withStatus(AcmeError.MALFORMED, 413, "request body over " + maxBody + " bytes");
        }
        if (body.length > maxBody) {
            throw AcmeProblem.withStatus(AcmeError.MALFORMED, 413, "request body over " + maxBody + " bytes");
        }
        FlattenedJws jws = verifier.parse(body);
        JwsVerifier.checkAlgorithm(jws.alg());
        boolean hasJwk = jws.header().has("jwk");
        boolean hasKid = jws.header().has("kid");
        if (hasJwk == hasKid) {
            throw new AcmeProblem(AcmeError.MALFORMED, "the protected header must hold exactly one of jwk and kid");
        }
        if (rule == KeyRule.JWK && !hasJwk) {
            throw new AcmeProblem(AcmeError.MALFORMED, "this request must be signed with the jwk header, not kid");
        }
        if (rule == KeyRule.KID && !hasKid) {
            throw new AcmeProblem(AcmeError.MALFORMED, "this request must be signed with an account kid, not jwk");
        }
        // RFC 8555 section 6.4: the url header must be the request's URL, else unauthorized.
        String expected = urls.base() + ctx.path();
        if (jws.url() == null || !jws.url().equals(expected)) {
            refuse(ctx, "url-mismatch");
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "the JWS url header does not match the request URL");
        }
        if (jws.nonce() == null) {
            throw new AcmeProblem(AcmeError.BAD_NONCE, "the JWS protected header has no nonce");
        }
        Account account = null;
        JWK key;
        if (hasJwk) {
            key = verifier.publicKey(jws.jwk());
        } else {
            account = account(jws.kid(), urls);
            key = storedKeys.get(account.jwk());
            if (key == null) {
                key = parseStored(account);
                if (storedKeys.size() >= CACHED_KEYS) {
                    storedKeys.clear(); // a bound, not an eviction policy: parsing again is cheap
                }
                storedKeys.put(account.jwk(), key);
            }
        }
        verifier.verify(jws, key);
        if (!nonces.consume(jws.nonce())) {
            // RFC 8555 section 6.5: a nonce not issued here, expired, or already used.
            refuse(ctx, "bad-nonce");
            throw new AcmeProblem(AcmeError.BAD_NONCE, "the nonce is unknown, expired or already used");
        }
        if (account != null && account.status() != Account.Status.VALID) {
            refuse(ctx, "account-" + account.status().name().toLowerCase(java.util.Locale.ROOT));
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "the account is " + account.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new AcmeRequest(jws, key, account);
    }

    private Account account(String kid, AcmeUrls urls) throws AcmeProblem {
        if (kid == null || !kid.startsWith(urls.accountPrefix())) {
            throw new AcmeProblem(AcmeError.ACCOUNT_DOES_NOT_EXIST, "kid is not an account URL of this server");
        }
        String id = kid.substring(urls.accountPrefix().length());
        return store.accounts().get(id).orElseThrow(() ->
                new AcmeProblem(AcmeError.ACCOUNT_DOES_NOT_EXIST, "no account with this kid"));
    }

    static JWK parseStored(Account account) {
        try {
            return JWK.parse(account.jwk());
        } catch (ParseException e) {
            throw new IllegalStateException("stored account key is unreadable", e);
        }
    }

    private static void refuse(Context ctx, String why) {
        LOG.info("audit action=\"acme {}\" who=\"{}\" serial=- result=\"refused {}\"", ctx.path(), ctx.ip(), why);
    }
}
