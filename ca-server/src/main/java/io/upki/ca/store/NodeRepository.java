package io.upki.ca.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/** Nodes (RAs and others) that registered through the registration port with the seed. */
public interface NodeRepository {

    /** One registration: the latest one per CN is kept. */
    record Registration(String commonName, String profile, Instant registeredAt, BigInteger serial) {
    }

    void save(Registration registration);

    Optional<Registration> find(String commonName);
}
