package io.upki.ca.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link ClientRepository} on {@link Database} (SQLite or PostgreSQL). */
public final class JdbcClientRepository implements ClientRepository {
    private final Database db;

    public JdbcClientRepository(Database db) {
        this.db = db;
    }

    @Override
    public void save(Client client) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO clients (public_key, name, role, added_at) VALUES (?,?,?,?) ON CONFLICT (public_key) "
                            + "DO UPDATE SET name = excluded.name, role = excluded.role, added_at = excluded.added_at")) {
                ps.setString(1, client.publicKey());
                ps.setString(2, client.name());
                ps.setString(3, client.role());
                ps.setLong(4, client.addedAt().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean remove(String publicKey) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM clients WHERE public_key = ?")) {
                ps.setString(1, publicKey);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<Client> list() {
        return db.read(c -> {
            List<Client> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT public_key, name, role, added_at FROM clients ORDER BY added_at, public_key");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Client(rs.getString(1), rs.getString(2), rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return out;
        });
    }
}
