package io.upki.pki.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of a {@code /ready} probe: ready, or not with the reason an operator can act on.
 *
 * @param reason "ok" when ready, else what is wrong
 * @param details more members of the body (e.g. {@code crl_feed}), which never change the status
 */
public record Readiness(boolean ready, String reason, Map<String, Object> details) {
    public static final Readiness OK = new Readiness(true, "ok");

    public Readiness {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public Readiness(boolean ready, String reason) {
        this(ready, reason, Map.of());
    }

    /**
     * The same answer with one more member: a ready process that works in a degraded way stays ready
     * (taking it out of rotation would not help) but says so.
     */
    public Readiness with(String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(details);
        m.put(name, value);
        return new Readiness(ready, reason, m);
    }

    public static Readiness notReady(String reason) {
        return new Readiness(false, reason);
    }

    /** The first failing check, or OK when every check passes. */
    public static Readiness all(List<Readiness> checks) {
        for (Readiness r : checks) {
            if (!r.ready()) {
                return r;
            }
        }
        return OK;
    }

    /** HTTP status of the probe: 200 ready, 503 not. */
    public int status() {
        return ready ? 200 : 503;
    }

    /** The JSON body of the probe: {@code {"status": "ready"|"not ready", "reason": ...}}. */
    public Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", ready ? "ready" : "not ready");
        m.put("reason", reason);
        m.putAll(details);
        return m;
    }
}
