package io.upki.ca.access;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.store.ClientRepository;
import io.upki.ca.store.ClientRepository.Client;
import io.upki.pki.caclient.CurveKeys;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CURVE client keys the CA knows, durable in the store and mirrored in memory: the ZAP handler
 * and every request look a key up without touching the database, and a removal is seen by the very
 * next request, on connections already open too.
 */
public final class ClientRegistry {
    private static final int MAX_NAME = 200;

    private final ClientRepository repository;
    private final Clock clock;
    private final AuditLog audit;
    private final Map<String, Client> known = new ConcurrentHashMap<>();

    public ClientRegistry(ClientRepository repository, Clock clock, AuditLog audit) {
        this.repository = repository;
        this.clock = clock;
        this.audit = audit;
        repository.list().forEach(c -> known.put(c.publicKey(), c));
    }

    /**
     * Reads the keys again from the store: a standby CA mirrors what the active CA of its store enrols and
     * removes meanwhile, so that a client enrolled after the standby started is answered (STANDBY) rather
     * than refused at the CURVE handshake, where it would wait out a whole reply timeout.
     */
    public synchronized void refresh() {
        Map<String, Client> now = new java.util.HashMap<>();
        repository.list().forEach(c -> now.put(c.publicKey(), c));
        known.putAll(now);
        known.keySet().retainAll(now.keySet());
    }

    /** The role of a key, empty when the CA does not know it. */
    public Optional<Role> role(String publicKey) {
        Client c = publicKey == null ? null : known.get(publicKey);
        return c == null ? Optional.empty() : Role.fromWireName(c.role());
    }

    public List<Client> list() {
        return repository.list();
    }

    /**
     * Makes a key known with a role, or changes the role of a known one.
     *
     * @throws CaProtocolException VALIDATION for a malformed key, role or name
     */
    public synchronized Client add(String publicKey, String name, Role role, String by) {
        String key = checkKey(publicKey);
        Client client = new Client(key, checkName(name), role.wireName(), clock.instant());
        repository.save(client);
        known.put(key, client);
        audit.record("add_client", "ok", "key", key, "role", role.wireName(), "name", client.name(), "by", by);
        return client;
    }

    /**
     * Forgets a key; its next request is refused.
     *
     * @throws CaProtocolException when the key is unknown, or is the last operator's (the CA would
     *     otherwise have nobody left who may add keys)
     */
    public synchronized void remove(String publicKey, String by) {
        String key = checkKey(publicKey);
        Client client = known.get(key);
        if (client == null) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "Unknown client key: " + key);
        }
        if (Role.OPERATOR.wireName().equals(client.role()) && operators() == 1) {
            throw new CaProtocolException(CaErrorCode.PERMISSION,
                    "Refusing to remove the last operator key: add another operator first");
        }
        known.remove(key);
        repository.remove(key);
        audit.record("remove_client", "ok", "key", key, "role", client.role(), "name", client.name(), "by", by);
    }

    /**
     * Enrols a key that registered with the seed: new keys get {@code role}; a key already known keeps
     * its role and may only register again for the same role.
     *
     * @throws CaProtocolException PERMISSION when the key is known with another role
     */
    public synchronized void enrol(String publicKey, String name, Role role) {
        Client existing = known.get(publicKey);
        if (existing != null && !existing.role().equals(role.wireName())) {
            audit.record("enrol", "refused", "key", publicKey, "role", role.wireName(), "reason", "role-mismatch");
            throw new CaProtocolException(CaErrorCode.PERMISSION, "Permission denied: this client key is enrolled as "
                    + existing.role() + ", not " + role.wireName());
        }
        add(publicKey, name, role, "seed");
    }

    /**
     * The first operator key: allowed with the seed only while no operator exists (the key that
     * bootstrapped is the CA's root of administration; later operators are added by an operator).
     */
    public synchronized void enrolFirstOperator(String publicKey, String name) {
        Client existing = known.get(publicKey);
        if (existing != null && existing.role().equals(Role.OPERATOR.wireName())) {
            return; // already this CA's operator: enrolling again changes nothing
        }
        if (operators() > 0) {
            audit.record("enrol", "refused", "key", publicKey, "role", "operator", "reason", "operator-exists");
            throw new CaProtocolException(CaErrorCode.PERMISSION, "Permission denied: this CA already has an operator; "
                    + "an operator adds further keys with 'upki-cli clients add'");
        }
        if (existing != null) {
            throw new CaProtocolException(CaErrorCode.PERMISSION, "Permission denied: this client key is enrolled as "
                    + existing.role() + "; an operator key must be a key of its own");
        }
        add(publicKey, name, Role.OPERATOR, "seed");
    }

    private long operators() {
        return known.values().stream().filter(c -> c.role().equals(Role.OPERATOR.wireName())).count();
    }

    private static String checkKey(String key) {
        try {
            return CurveKeys.checkKey(key == null ? null : key.strip(), "public_key");
        } catch (IllegalArgumentException e) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, e.getMessage());
        }
    }

    private static String checkName(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME || n.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new CaProtocolException(CaErrorCode.VALIDATION,
                    "name: must be 1.." + MAX_NAME + " printable characters");
        }
        return n;
    }
}
