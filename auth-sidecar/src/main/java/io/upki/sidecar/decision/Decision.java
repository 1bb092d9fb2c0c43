package io.upki.sidecar.decision;

import io.upki.pki.assertion.Identity;
import io.upki.pki.trust.Refusal;

/**
 * The outcome of one forward-auth request: allowed (with the identity, absent on public routes) or
 * refused with a reason.
 */
public record Decision(boolean allowed, Refusal refusal, RouteClass route, Identity identity, String detail) {

    public static Decision allow(RouteClass route, Identity identity) {
        return new Decision(true, null, route, identity, null);
    }

    public static Decision refuse(Refusal refusal, RouteClass route, String detail) {
        return new Decision(false, refusal, route, null, detail);
    }

    public int status() {
        return allowed ? 200 : refusal.status();
    }

    public String reason() {
        return allowed ? "ok" : refusal.code();
    }
}
