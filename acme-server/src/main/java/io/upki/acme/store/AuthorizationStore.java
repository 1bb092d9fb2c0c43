package io.upki.acme.store;

import io.upki.acme.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** ACME authorizations (RFC 8555 section 7.1.4), one per identifier of an order. */
public final class AuthorizationStore {
    private final Database db;

    AuthorizationStore(Database db) {
        this.db = db;
    }

    public void insert(Authorization a) {
        db.update("INSERT INTO authz (id, account_id, order_id, type, value, wildcard, status, expires)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", a.id(), a.accountId(), a.orderId(), a.identifier().type(),
                a.identifier().value(), a.wildcard() ? 1 : 0, a.status().name(), a.expires().toEpochMilli());
    }

    public Optional<Authorization> get(String id) {
        return db.one("SELECT * FROM authz WHERE id = ?", AuthorizationStore::read, id);
    }

    /** Stores the status (the only part of an authorization that changes). */
    public void update(Authorization a) {
        db.update("UPDATE authz SET status = ? WHERE id = ?", a.status().name(), a.id());
    }

    /** Moves an authorization from {@code from} to {@code to} only if it is still in {@code from}. */
    public boolean transition(String id, Authorization.Status from, Authorization.Status to) {
        return db.update("UPDATE authz SET status = ? WHERE id = ? AND status = ?", to.name(), id, from.name()) == 1;
    }

    private static Authorization read(ResultSet r) throws SQLException {
        return new Authorization(r.getString("id"), r.getString("account_id"), r.getString("order_id"),
                new Identifier(r.getString("type"), r.getString("value")), r.getInt("wildcard") == 1,
                Authorization.Status.valueOf(r.getString("status")), Instant.ofEpochMilli(r.getLong("expires")));
    }
}
