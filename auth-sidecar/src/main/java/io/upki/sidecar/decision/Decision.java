package io.upki.sidecar.decision;

import io.upki.pki.assertion.Identity;
import io.upki.pki.trust.Refusal;

/** The outcome of one forward-auth request: {@link Allowed} or {@link Refused}, nothing in between. */
public sealed interface Decision {

    /** The route class the original URI fell into; null when the URI itself was unsafe. */
    RouteClass route();

    /** The HTTP status of the answer. */
    int status();

    /** {@code ok}, or the refusal's code for metrics, audit lines and the JSON body. */
    String reason();

    /**
     * Allowed.
     *
     * @param identity the verified client; null on a public route, where no certificate is asked for
     * @param seenBefore the certificate's verified path was remembered: this client has been here
     *                   recently, so what is made for it may be worth keeping too
     */
    record Allowed(RouteClass route, Identity identity, boolean seenBefore) implements Decision {
        @Override
        public int status() {
            return 200;
        }

        @Override
        public String reason() {
            return "ok";
        }
    }

    /**
     * Refused.
     *
     * @param detail what exactly was wrong, for the audit line only (the client gets the refusal's message)
     */
    record Refused(Refusal refusal, RouteClass route, String detail) implements Decision {
        @Override
        public int status() {
            return refusal.status();
        }

        @Override
        public String reason() {
            return refusal.code();
        }
    }
}
