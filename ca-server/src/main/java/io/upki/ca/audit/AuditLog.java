package io.upki.ca.audit;

import io.upki.pki.audit.AuditTrail;
import java.util.function.Supplier;

/**
 * The CA's audit events (issuance, revocation, CRLs, admins, registrations and every refusal) on its
 * {@link AuditTrail}, each naming who asked. Who is set per request by the frontend that received it
 * ({@link #actingAs(String, String, Supplier)}); work no request asked for is the CA's own
 * ({@link #SYSTEM}). Keys, CSRs, seeds and whole certificates are never passed here.
 */
public final class AuditLog implements AutoCloseable {
    /** Who acts when no request does: start-up recovery, CRLs regenerated on schedule. */
    public static final String SYSTEM = "ca-server";
    /** Who registers with the registration seed (the seed is checked, the peer is otherwise unknown). */
    public static final String REGISTRATION_SEED = "registration seed";

    private static final ThreadLocal<Caller> CALLER = new ThreadLocal<>();

    private final AuditTrail trail;

    /** The caller of the request a thread is serving: who, and the endpoint it came through (or null). */
    public record Caller(String who, String via) {
    }

    public AuditLog(AuditTrail trail) {
        this.trail = trail;
    }

    /**
     * Runs {@code work} on behalf of {@code who}, arrived through {@code via}: the events it records on
     * this thread name them. Today the frontend knows a ZeroMQ peer only by its connection; with CURVE
     * it passes the client key's name and role.
     */
    public static <T> T actingAs(String who, String via, Supplier<T> work) {
        Caller previous = CALLER.get();
        CALLER.set(new Caller(who, via));
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CALLER.remove();
            } else {
                CALLER.set(previous);
            }
        }
    }

    /** Like {@link #actingAs(String, String, Supplier)}, through the same endpoint as the current caller. */
    public static <T> T actingAs(String who, Supplier<T> work) {
        return actingAs(who, caller().via(), work);
    }

    /** The current thread's caller, {@link #SYSTEM} outside any request. */
    public static Caller caller() {
        Caller c = CALLER.get();
        return c == null ? new Caller(SYSTEM, null) : c;
    }

    /** Records one event of the current caller; {@code fields} alternate name, value (a serial as BigInteger). */
    public void record(String action, String result, Object... fields) {
        Caller c = caller();
        Object[] all = new Object[fields.length + 2];
        System.arraycopy(fields, 0, all, 0, fields.length);
        all[fields.length] = "via";
        all[fields.length + 1] = c.via();
        trail.record(c.who(), action, result, all);
    }

    @Override
    public void close() {
        trail.close();
    }
}
