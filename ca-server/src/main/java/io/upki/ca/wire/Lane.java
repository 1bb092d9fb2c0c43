package io.upki.ca.wire;

/**
 * Which worker pool a task runs on, so that slow work never queues in front of quick work: a
 * {@code generate} (seconds of RSA key generation) cannot delay a {@code get_crl}.
 */
public enum Lane {
    /** CA-side key generation: generate, register. */
    KEYGEN,
    /** One signature each: sign, renew, generate_crl. */
    SIGNING,
    /** Lookups and small durable writes: everything else. */
    QUICK
}
