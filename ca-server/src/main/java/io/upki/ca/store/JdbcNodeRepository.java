package io.upki.ca.store;

import java.math.BigInteger;
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
        Sql.update(db, "INSERT INTO nodes (common_name, profile, registered_at, serial) VALUES (?,?,?,?) "
                        + "ON CONFLICT (common_name) DO UPDATE SET profile = excluded.profile, "
                        + "registered_at = excluded.registered_at, serial = excluded.serial",
                r.commonName(), r.profile(), r.registeredAt().toEpochMilli(), r.serial().toString(16));
    }

    @Override
    public Optional<Registration> find(String commonName) {
        if (!db.dialect().storable(commonName)) {
            return Optional.empty();
        }
        return Sql.first(db, "SELECT common_name, profile, registered_at, serial FROM nodes WHERE common_name = ?",
                rs -> new Registration(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        new BigInteger(rs.getString(4), 16)), commonName);
    }
}
