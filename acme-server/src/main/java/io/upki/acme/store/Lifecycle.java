package io.upki.acme.store;

import java.time.Instant;
import java.util.List;

/**
 * The status rules of RFC 8555 section 7.1.6 that depend on time and on other objects: a pending
 * authorization past its expiry is expired; an order's status follows its authorizations until it is
 * finalized, and a pending or ready order past its expiry is invalid.
 */
public final class Lifecycle {
    private Lifecycle() {
    }

    public static Authorization current(Authorization a, Instant now) {
        if ((a.status() == Authorization.Status.PENDING || a.status() == Authorization.Status.VALID)
                && !now.isBefore(a.expires())) {
            return a.withStatus(Authorization.Status.EXPIRED);
        }
        return a;
    }

    /** The order's status given its (current) authorizations. */
    public static Order.Status derive(Order o, List<Authorization> authorizations, Instant now) {
        Order.Status s = o.status();
        if (s == Order.Status.PROCESSING || s == Order.Status.VALID || s == Order.Status.INVALID) {
            return s;
        }
        if (!now.isBefore(o.expires())) {
            return Order.Status.INVALID;
        }
        boolean allValid = true;
        for (Authorization a : authorizations) {
            switch (a.status()) {
                case VALID -> { }
                case PENDING -> allValid = false;
                default -> {
                    return Order.Status.INVALID;
                }
            }
        }
        return allValid ? Order.Status.READY : Order.Status.PENDING;
    }
}
