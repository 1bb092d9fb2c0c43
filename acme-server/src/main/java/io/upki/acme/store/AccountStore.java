package io.upki.acme.store;

import io.upki.acme.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** ACME accounts (RFC 8555 section 7.1.2), found by id, by key thumbprint, or by their EAB key identifier. */
public final class AccountStore {
    private final Database db;

    AccountStore(Database db) {
        this.db = db;
    }

    public void insert(Account a) {
        db.update("INSERT INTO account (id, thumbprint, jwk, status, contact, created, eab_kid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                a.id(), a.thumbprint(), a.jwk(), a.status().name(), Columns.json(a.contact()), a.created().toEpochMilli(),
                a.eabKid());
    }

    public Optional<Account> get(String id) {
        return db.one("SELECT * FROM account WHERE id = ?", AccountStore::read, id);
    }

    public Optional<Account> byThumbprint(String thumbprint) {
        return db.one("SELECT * FROM account WHERE thumbprint = ?", AccountStore::read, thumbprint);
    }

    public Optional<Account> byEabKid(String kid) {
        return db.one("SELECT * FROM account WHERE eab_kid = ?", AccountStore::read, kid);
    }

    /** Stores the key, status and contacts (id, creation and binding never change). */
    public void update(Account a) {
        db.update("UPDATE account SET thumbprint = ?, jwk = ?, status = ?, contact = ? WHERE id = ?",
                a.thumbprint(), a.jwk(), a.status().name(), Columns.json(a.contact()), a.id());
    }

    private static Account read(ResultSet r) throws SQLException {
        return new Account(r.getString("id"), r.getString("thumbprint"), r.getString("jwk"),
                Account.Status.valueOf(r.getString("status")), Columns.read(r.getString("contact"), Columns.STRINGS),
                Instant.ofEpochMilli(r.getLong("created")), r.getString("eab_kid"));
    }
}
