package io.upki.ca.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** {@link AdminRepository} on {@link Database} (SQLite or PostgreSQL). */
public final class JdbcAdminRepository implements AdminRepository {
    private final Database db;

    public JdbcAdminRepository(Database db) {
        this.db = db;
    }

    @Override
    public List<String> list() {
        return db.read(c -> {
            List<String> dns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT dn FROM admins ORDER BY added_seq");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dns.add(rs.getString(1));
                }
            }
            return dns;
        });
    }

    @Override
    public boolean add(String dn, String canonicalKey) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO admins (canonical_key, dn, added_seq) "
                    + "VALUES (?, ?, (SELECT coalesce(max(added_seq), 0) + 1 FROM admins)) ON CONFLICT DO NOTHING")) {
                ps.setString(1, canonicalKey);
                ps.setString(2, dn);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean remove(String canonicalKey) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM admins WHERE canonical_key = ?")) {
                ps.setString(1, canonicalKey);
                return ps.executeUpdate() == 1;
            }
        });
    }
}
