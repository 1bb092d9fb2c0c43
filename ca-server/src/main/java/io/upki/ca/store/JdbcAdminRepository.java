package io.upki.ca.store;

import java.util.List;

/** {@link AdminRepository} on {@link Database} (SQLite or PostgreSQL). */
public final class JdbcAdminRepository implements AdminRepository {
    private final Database db;

    public JdbcAdminRepository(Database db) {
        this.db = db;
    }

    @Override
    public List<String> list() {
        return Sql.list(db, "SELECT dn FROM admins ORDER BY added_seq", rs -> rs.getString(1));
    }

    @Override
    public boolean add(String dn, String canonicalKey) {
        return Sql.update(db, "INSERT INTO admins (canonical_key, dn, added_seq) "
                + "VALUES (?, ?, (SELECT coalesce(max(added_seq), 0) + 1 FROM admins)) ON CONFLICT DO NOTHING",
                canonicalKey, dn) == 1;
    }

    @Override
    public boolean remove(String canonicalKey) {
        return Sql.update(db, "DELETE FROM admins WHERE canonical_key = ?", canonicalKey) == 1;
    }
}
