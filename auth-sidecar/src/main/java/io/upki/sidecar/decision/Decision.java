package io.upki.sidecar.decision;

import io.upki.pki.assertion.Identity;
import io.upki.pki.trust.Refusal;

/**
 * The outcome of one forward-auth request: allowed (with the identity, absent on public routes) or
 * refused with a reason.
 *
 * @param seenBefore the certificate's verified path came from the cache: this client has been here
 *                   recently, so what is made for it may be worth keeping too
 */
public record Decision(boolean allowed, Refusal refusal, RouteClass route, Identity identity, String detail,
                       boolean seenBefore) {

    public static Decision allow(RouteClass route, Identity identity) {
        return allow(route, identity, false);
    }

    public static Decision allow(RouteClass route, Identity identity, boolean seenBefore) {
        return new Decision(true, null, route, identity, null, seenBefore);
    }

    public static Decision refuse(Refusal refusal, RouteClass route, String detail) {
        return new Decision(false, refusal, route, null, detail, false);
    }

    public int status() {
        return allowed ? 200 : refusal.status();
    }

    public String reason() {
        return allowed ? "ok" : refusal.code();
    }
}
