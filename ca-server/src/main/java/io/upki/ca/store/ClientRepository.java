package io.upki.ca.store;

import java.time.Instant;
import java.util.List;

/** The CURVE client keys the CA knows (the {@code clients} table). */
public interface ClientRepository {

    /**
     * One known key.
     *
     * @param publicKey Z85 CURVE public key
     * @param name who holds it (a CN or an operator's label)
     * @param role a role's wire name (see io.upki.ca.access.Role)
     */
    record Client(String publicKey, String name, String role, Instant addedAt) {
    }

    /** Adds or replaces the key's entry, durably. */
    void save(Client client);

    /** @return whether the key was known */
    boolean remove(String publicKey);

    List<Client> list();
}
