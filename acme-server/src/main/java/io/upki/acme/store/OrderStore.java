package io.upki.acme.store;

import io.upki.acme.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ACME orders (RFC 8555 section 7.1.3), with the compare-and-set that lets one finalization run. */
public final class OrderStore {
    private final Database db;

    OrderStore(Database db) {
        this.db = db;
    }

    /** Stores a new order; its authorizations and challenges go in the same {@link AcmeStore#transaction}. */
    public void insert(Order o) {
        db.update("INSERT INTO orders (id, account_id, status, expires, identifiers, authz_ids, error, certificate_id, replaces)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", o.id(), o.accountId(), o.status().name(), o.expires().toEpochMilli(),
                Columns.json(o.identifiers()), Columns.json(o.authorizationIds()), o.error(), o.certificateId(), o.replaces());
    }

    public Optional<Order> get(String id) {
        return db.one("SELECT * FROM orders WHERE id = ?", OrderStore::read, id);
    }

    /** The ids of an account's orders, oldest first (RFC 8555 section 7.1.2.1). */
    public List<String> idsOf(String accountId) {
        return db.all("SELECT id FROM orders WHERE account_id = ? ORDER BY " + db.engine().insertionOrder(),
                r -> r.getString(1), accountId);
    }

    /** Stores the status, error and certificate (the rest of an order never changes). */
    public void update(Order o) {
        db.update("UPDATE orders SET status = ?, error = ?, certificate_id = ? WHERE id = ?",
                o.status().name(), o.error(), o.certificateId(), o.id());
    }

    /** Moves an order from {@code from} to {@code to} only if it is still in {@code from}. */
    public boolean transition(String id, Order.Status from, Order.Status to) {
        return db.update("UPDATE orders SET status = ? WHERE id = ? AND status = ?", to.name(), id, from.name()) == 1;
    }

    /**
     * Moves an order from {@code from} to {@code to} with {@code error}, only if it is still in {@code from}:
     * a status derived from the authorizations is stored this way, so a replica working from an older read
     * never overwrites what another one stored meanwhile (a finalization under way, a certificate).
     */
    public boolean advance(String id, Order.Status from, Order.Status to, String error) {
        return db.update("UPDATE orders SET status = ?, error = ? WHERE id = ? AND status = ?",
                to.name(), error, id, from.name()) == 1;
    }

    /**
     * Inside a transaction: locks the order's row until the transaction ends, so work that reads the order
     * and its authorizations and then writes (a validation outcome) runs one at a time per order across
     * replicas. Returns the order as it is now.
     */
    public Optional<Order> lock(String id) {
        return db.one("SELECT * FROM orders WHERE id = ?" + db.engine().forUpdate(), OrderStore::read, id);
    }

    /** How many orders are in each state (metrics). */
    public Map<Order.Status, Long> countsByStatus() {
        Map<Order.Status, Long> counts = new EnumMap<>(Order.Status.class);
        for (Map.Entry<Order.Status, Long> e : db.all("SELECT status, count(*) FROM orders GROUP BY status",
                r -> Map.entry(Order.Status.valueOf(r.getString(1)), r.getLong(2)))) {
            counts.put(e.getKey(), e.getValue());
        }
        return counts;
    }

    private static Order read(ResultSet r) throws SQLException {
        return new Order(r.getString("id"), r.getString("account_id"), Order.Status.valueOf(r.getString("status")),
                Instant.ofEpochMilli(r.getLong("expires")), Columns.read(r.getString("identifiers"), Columns.IDENTIFIERS),
                Columns.read(r.getString("authz_ids"), Columns.STRINGS), r.getString("error"), r.getString("certificate_id"),
                r.getString("replaces"));
    }
}
