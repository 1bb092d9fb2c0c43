package io.upki.acme.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.acme.store.Account;
import io.upki.acme.store.AcmeStore;
import io.upki.acme.store.Authorization;
import io.upki.acme.store.Challenge;
import io.upki.acme.store.Identifier;
import io.upki.acme.store.Lifecycle;
import io.upki.acme.store.Order;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads ACME objects with their time-dependent status brought up to date (and stored when it changed),
 * and renders them as the JSON objects of RFC 8555 section 7.1.
 */
final class Resources {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AcmeStore store;
    private final Clock clock;

    Resources(AcmeStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The authorization with expiry applied. */
    Authorization authorization(String id) {
        Authorization stored = store.authorizations().get(id).orElse(null);
        if (stored == null) {
            return null;
        }
        Authorization now = Lifecycle.current(stored, clock.instant());
        if (now.status() != stored.status()
                && !store.authorizations().transition(id, stored.status(), now.status())) {
            return authorization(id); // another request (or replica) changed it meanwhile: read it again
        }
        return now;
    }

    /** The order with its status derived from its authorizations and its expiry (RFC 8555 section 7.1.6). */
    Order order(String id) {
        Order stored = store.orders().get(id).orElse(null);
        if (stored == null) {
            return null;
        }
        List<Authorization> authzs = new ArrayList<>();
        for (String a : stored.authorizationIds()) {
            authzs.add(authorization(a));
        }
        Order.Status next = Lifecycle.derive(stored, authzs, clock.instant());
        if (next == stored.status()) {
            return stored;
        }
        Order updated = stored.withStatus(next, next == Order.Status.INVALID ? stored.error() : null);
        if (!store.orders().advance(id, stored.status(), next, updated.error())) {
            return order(id); // another request (or replica) changed it meanwhile: derive from what it stored
        }
        return updated;
    }

    ObjectNode account(Account a, AcmeUrls urls) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("status", lower(a.status()));
        ArrayNode contact = o.putArray("contact");
        a.contact().forEach(contact::add);
        o.put("orders", urls.orders(a.id()));
        return o;
    }

    ObjectNode order(Order order, AcmeUrls urls) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("status", lower(order.status()));
        o.put("expires", time(order.expires()));
        ArrayNode ids = o.putArray("identifiers");
        for (Identifier i : order.identifiers()) {
            ids.addObject().put("type", i.type()).put("value", i.value());
        }
        ArrayNode authzs = o.putArray("authorizations");
        order.authorizationIds().forEach(id -> authzs.add(urls.authorization(id)));
        o.put("finalize", urls.finalize(order.id()));
        if (order.certificateId() != null) {
            o.put("certificate", urls.certificate(order.certificateId()));
        }
        if (order.error() != null && order.status() == Order.Status.INVALID) {
            o.set("error", parse(order.error()));
        }
        if (order.replaces() != null) {
            o.put("replaces", order.replaces());
        }
        return o;
    }

    ObjectNode authorization(Authorization a, AcmeUrls urls) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putObject("identifier").put("type", a.identifier().type()).put("value", a.identifier().value());
        o.put("status", lower(a.status()));
        o.put("expires", time(a.expires()));
        ArrayNode challenges = o.putArray("challenges");
        for (Challenge c : store.challenges().of(a.id())) {
            // RFC 8555 section 7.1.4: a valid authorization lists only the challenge that validated it.
            if (a.status() != Authorization.Status.VALID || c.status() == Challenge.Status.VALID) {
                challenges.add(challenge(c, urls));
            }
        }
        if (a.wildcard()) {
            o.put("wildcard", true);
        }
        return o;
    }

    ObjectNode challenge(Challenge c, AcmeUrls urls) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", c.type());
        o.put("url", urls.challenge(c.id()));
        o.put("status", lower(c.status()));
        o.put("token", c.token());
        if (c.validated() != null) {
            o.put("validated", time(c.validated()));
        }
        if (c.error() != null) {
            o.set("error", parse(c.error()));
        }
        return o;
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode("unreadable");
        }
    }
}
