package io.upki.pki.trust;

import java.util.Locale;

/**
 * What a verified client may do at a relying party, decided by the trust pipeline's last step: an
 * administrator holds the CA's admin marker or is on the admin list; every other client is a client.
 */
public enum Role {
    ADMIN,
    CLIENT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The role as headers, assertions, JSON bodies and audit lines spell it: {@code admin}, {@code client}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The role named {@code wireName}.
     *
     * @throws IllegalArgumentException when it names no role (a relying party then refuses, never guesses)
     */
    public static Role fromWire(String wireName) {
        for (Role r : values()) {
            if (r.wireName.equals(wireName)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + wireName + "'");
    }
}
