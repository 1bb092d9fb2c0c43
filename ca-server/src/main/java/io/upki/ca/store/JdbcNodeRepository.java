package io.upki.ca.store;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link NodeRepository} on {@link Database} (SQLite or PostgreSQL). */
public final class JdbcNodeRepository implements NodeRepository {
    private final Database db;

    public JdbcNodeRepository(Database db) {
        this.db = db;
    }

    @Override
    public void save(Registration r) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO nodes (common_name, profile, registered_at, serial) VALUES (?,?,?,?) ON CONFLICT (common_name) "
                            + "DO UPDATE SET profile = excluded.profile, registered_at = excluded.registered_at, "
                            + "serial = excluded.serial")) {
                ps.setString(1, r.commonName());
                ps.setString(2, r.profile());
                ps.setLong(3, r.registeredAt().toEpochMilli());
                ps.setString(4, r.serial().toString(16));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Registration> find(String commonName) {
        if (!db.dialect().storable(commonName)) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT common_name, profile, registered_at, serial FROM nodes WHERE common_name = ?")) {
                ps.setString(1, commonName);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Registration(rs.getString(1), rs.getString(2),
                            Instant.ofEpochMilli(rs.getLong(3)), new BigInteger(rs.getString(4), 16)));
                }
            }
        });
    }
}
