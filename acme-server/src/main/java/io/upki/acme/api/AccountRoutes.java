package io.upki.acme.api;

import io.upki.acme.audit.AcmeAudit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import io.javalin.http.Context;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.jws.FlattenedJws;
import io.upki.acme.jws.JwsVerifier;
import io.upki.acme.store.Account;
import io.upki.acme.store.AcmeStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Accounts (RFC 8555 section 7.3): creation with optional External Account Binding, lookup by key
 * ({@code onlyReturnExisting}), contact update, deactivation, the orders list, and key rollover.
 */
final class AccountRoutes {
    private static final int MAX_CONTACTS = 10;
    private final Resources resources;
    private final AcmeStore store;
    private final JwsVerifier verifier;
    private final Map<String, byte[]> eabKeys;
    private final Clock clock;
    private final SecureRandom random;
    private final AcmeAudit audit;

    AccountRoutes(Resources resources, AcmeStore store, JwsVerifier verifier,
                  Map<String, byte[]> eabKeys, Clock clock, SecureRandom random, AcmeAudit audit) {
        this.audit = audit;
        this.resources = resources;
        this.store = store;
        this.verifier = verifier;
        this.eabKeys = Map.copyOf(eabKeys);
        this.clock = clock;
        this.random = random;
    }

    void newAccount(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        ObjectNode payload = req.payload();
        String thumbprint = JwsVerifier.thumbprint(req.key());
        Account existing = store.accounts().byThumbprint(thumbprint).orElse(null);
        if (existing != null && existing.status() != Account.Status.VALID) {
            // RFC 8555 section 7.3.6: nothing more is accepted with a deactivated account's key.
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "the account of this key is deactivated");
        }
        if (existing != null) {
            // RFC 8555 section 7.3.1: the existing account, 200 with its Location.
            Replies.location(ctx, urls.account(existing.id()));
            Replies.json(ctx, 200, resources.account(existing, urls));
            return;
        }
        if (payload.path("onlyReturnExisting").asBoolean(false)) {
            throw new AcmeProblem(AcmeError.ACCOUNT_DOES_NOT_EXIST, "no account exists with this key");
        }
        List<String> contact = contacts(payload);
        String eabKid = null;
        if (!eabKeys.isEmpty() || payload.has("externalAccountBinding")) {
            eabKid = externalBinding(payload.get("externalAccountBinding"), req.key(), urls);
        }
        Account account = new Account(Ids.random(random), thumbprint, req.key().toPublicJWK().toJSONString(),
                Account.Status.VALID, contact, clock.instant(), eabKid);
        store.accounts().insert(account);
        audit.record(AcmeAudit.account(account.id()), "acme-new-account", "ok", "eab", eabKid, "client_ip", ctx.ip());
        Replies.location(ctx, urls.account(account.id()));
        Replies.json(ctx, 201, resources.account(account, urls));
    }

    /** POST to the account URL: read it (POST-as-GET or {}), update contacts, or deactivate (RFC 8555 sections 7.3.2, 7.3.6). */
    void account(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        Account account = own(req, ctx.pathParam("id"));
        if (!req.postAsGet()) {
            ObjectNode payload = req.payload();
            if (payload.has("status")) {
                if (!"deactivated".equals(payload.path("status").asText())) {
                    throw new AcmeProblem(AcmeError.MALFORMED, "an account's status can only be set to deactivated");
                }
                account = account.withStatus(Account.Status.DEACTIVATED);
                audit.record(AcmeAudit.account(account.id()), "acme-deactivate-account", "ok");
            }
            if (payload.has("contact")) {
                account = account.withContact(contacts(payload));
            }
            store.accounts().update(account);
        }
        Replies.location(ctx, urls.account(account.id()));
        Replies.json(ctx, 200, resources.account(account, urls));
    }

    /** RFC 8555 section 7.1.2.1: the account's orders. */
    void orders(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        Account account = own(req, ctx.pathParam("id"));
        req.requirePostAsGet();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        var list = out.putArray("orders");
        store.orders().idsOf(account.id()).forEach(id -> list.add(urls.order(id)));
        Replies.json(ctx, 200, out);
    }

    /** RFC 8555 section 7.3.5: an inner JWS signed by the new key, naming the account and its old key. */
    void keyChange(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        FlattenedJws inner = verifier.parse(req.jws().payload());
        JwsVerifier.checkAlgorithm(inner.alg());
        if (inner.jwk() == null || inner.kid() != null) {
            throw new AcmeProblem(AcmeError.MALFORMED, "the inner JWS must carry the new key as jwk");
        }
        if (!req.jws().url().equals(inner.url())) {
            throw new AcmeProblem(AcmeError.MALFORMED, "the inner JWS url must equal the outer one");
        }
        JWK newKey = verifier.publicKey(inner.jwk());
        verifier.verify(inner, newKey);
        ObjectNode body = new AcmeRequest(inner, newKey, null).payload();
        if (!urls.account(req.account().id()).equals(AcmeRequest.text(body, "account", 512))) {
            throw new AcmeProblem(AcmeError.MALFORMED, "the inner payload's account is not the signing account");
        }
        JWK oldKey = verifier.publicKey(body.get("oldKey"));
        if (!JwsVerifier.thumbprint(oldKey).equals(req.account().thumbprint())) {
            throw new AcmeProblem(AcmeError.MALFORMED, "oldKey is not the account's current key");
        }
        String newThumbprint = JwsVerifier.thumbprint(newKey);
        Account holder = store.accounts().byThumbprint(newThumbprint).orElse(null);
        if (holder != null) {
            throw AcmeProblem.conflict("the new key is already in use by an account", urls.account(holder.id()));
        }
        Account updated = req.account().withKey(newThumbprint, newKey.toPublicJWK().toJSONString());
        store.accounts().update(updated);
        audit.record(AcmeAudit.account(updated.id()), "acme-key-change", "ok");
        Replies.location(ctx, urls.account(updated.id()));
        Replies.json(ctx, 200, resources.account(updated, urls));
    }

    /**
     * RFC 8555 section 7.3.4: a JWS MACed with a key this installation handed out, whose payload is the
     * account key and whose url is newAccount's. Each binding key registers one account.
     */
    private String externalBinding(JsonNode binding, JWK accountKey, AcmeUrls urls) throws AcmeProblem {
        if (binding == null || !binding.isObject()) {
            throw new AcmeProblem(AcmeError.EXTERNAL_ACCOUNT_REQUIRED, "this server requires externalAccountBinding");
        }
        FlattenedJws eab = verifier.parse(binding.toString().getBytes(StandardCharsets.UTF_8));
        if (eab.header().has("nonce") || !urls.newAccount().equals(eab.url())) {
            throw new AcmeProblem(AcmeError.MALFORMED, "externalAccountBinding must have no nonce and newAccount's url");
        }
        String kid = eab.kid();
        byte[] secret = kid == null ? null : eabKeys.get(kid);
        if (secret == null) {
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "unknown externalAccountBinding key identifier");
        }
        verifier.verifyMac(eab, secret);
        JWK bound;
        try {
            bound = JWK.parse(new String(eab.payload(), StandardCharsets.UTF_8));
        } catch (java.text.ParseException e) {
            throw new AcmeProblem(AcmeError.MALFORMED, "externalAccountBinding payload is not a JWK");
        }
        if (!JwsVerifier.thumbprint(bound).equals(JwsVerifier.thumbprint(accountKey))) {
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "externalAccountBinding binds another key");
        }
        if (store.accounts().byEabKid(kid).isPresent()) {
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "this externalAccountBinding key is already bound to an account");
        }
        return kid;
    }

    private static Account own(AcmeRequest req, String id) throws AcmeProblem {
        if (!req.account().id().equals(id)) {
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "an account can only be managed with its own key");
        }
        return req.account();
    }

    /** RFC 8555 section 7.3: mailto: URLs only, one address each, no header fields. */
    private static List<String> contacts(ObjectNode payload) throws AcmeProblem {
        JsonNode node = payload.get("contact");
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray() || node.size() > MAX_CONTACTS) {
            throw new AcmeProblem(AcmeError.INVALID_CONTACT, "contact must be an array of at most " + MAX_CONTACTS + " URLs");
        }
        for (JsonNode c : node) {
            String v = c.isTextual() ? c.asText() : "";
            if (!v.startsWith("mailto:")) {
                throw new AcmeProblem(AcmeError.UNSUPPORTED_CONTACT, "only mailto: contacts are supported");
            }
            String address = v.substring("mailto:".length());
            if (address.length() > 254 || !address.matches("[^@,?\\s<>\"]+@[A-Za-z0-9.-]+\\.[A-Za-z0-9-]+")) {
                throw new AcmeProblem(AcmeError.INVALID_CONTACT, "not a single email address: a contact");
            }
            out.add(v);
        }
        return out;
    }
}
