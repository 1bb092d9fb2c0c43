package io.upki.ca.access;

import java.util.Arrays;
import java.util.Optional;

/** The role of a known CURVE client key: what the process holding it is for (docs/SECURITY.md). */
public enum Role {
    /** An administrator's upki-cli: every task. */
    OPERATOR("operator"),
    /** ra-core: issues and revokes end-entity certificates only. */
    RA("ra"),
    /** auth-sidecar: reads the CA certificate, CRLs and the admin list. */
    SIDECAR("sidecar"),
    /** crl-publisher: reads and refreshes CRLs, follows the event feed. */
    CRL_PUBLISHER("crl-publisher");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
    }

    /** Why {@code name} is refused: {@code 'name' is not one of [operator, ra, sidecar, crl-publisher]}. */
    public static String notOneOf(String name) {
        return "'" + name + "' is not one of " + Arrays.stream(values()).map(Role::wireName).toList();
    }
}
