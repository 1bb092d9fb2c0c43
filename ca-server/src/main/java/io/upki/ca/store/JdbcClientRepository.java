package io.upki.ca.store;

import java.time.Instant;
import java.util.List;

/** {@link ClientRepository} on {@link Database} (SQLite or PostgreSQL). */
public final class JdbcClientRepository implements ClientRepository {
    private final Database db;

    public JdbcClientRepository(Database db) {
        this.db = db;
    }

    @Override
    public void save(Client client) {
        Sql.update(db, "INSERT INTO clients (public_key, name, role, added_at) VALUES (?,?,?,?) ON CONFLICT (public_key) "
                        + "DO UPDATE SET name = excluded.name, role = excluded.role, added_at = excluded.added_at",
                client.publicKey(), client.name(), client.role(), client.addedAt().toEpochMilli());
    }

    @Override
    public boolean remove(String publicKey) {
        return Sql.update(db, "DELETE FROM clients WHERE public_key = ?", publicKey) > 0;
    }

    @Override
    public List<Client> list() {
        return Sql.list(db, "SELECT public_key, name, role, added_at FROM clients ORDER BY added_at, public_key",
                rs -> new Client(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
    }
}
