package io.upki.ca.access;

/**
 * Who sent a request, as the CURVE handshake proved it.
 *
 * @param publicKey the client's CURVE public key (Z85), or null on a {@code none} CA
 * @param role the key's role, or null when the key is not (or no longer) known
 */
public record Caller(String publicKey, Role role) {
    /** A request on a {@code none} CA: nobody is authenticated, and loopback is the only protection. */
    public static final Caller PLAIN = new Caller(null, null);

    public boolean plain() {
        return publicKey == null;
    }

    /** For audit lines: the role and a key prefix, never more of the key than identifies it. */
    public String describe() {
        if (plain()) {
            return "plain";
        }
        return (role == null ? "unknown" : role.wireName()) + ":" + publicKey.substring(0, Math.min(8, publicKey.length()));
    }
}
