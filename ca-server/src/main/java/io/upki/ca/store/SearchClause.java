package io.upki.ca.store;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The WHERE clause of a {@link CertificateSearch} and its arguments, in SQL that SQLite and PostgreSQL read
 * alike: {@code lower()} on both sides (SQLite's LIKE ignores ASCII case, PostgreSQL's does not) and an
 * explicit LIKE escape.
 */
record SearchClause(String sql, List<Object> args) {

    static SearchClause of(CertificateSearch s) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        if (s.text() != null) {
            String like = "%" + s.text().toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            sql.append(" AND (lower(common_name) LIKE ? ESCAPE '\\' OR lower(subject_dn) LIKE ? ESCAPE '\\'");
            args.add(like);
            args.add(like);
            for (BigInteger serial : s.serials()) {
                sql.append(" OR serial = ?");
                args.add(JdbcCertificateRepository.serialKey(serial));
            }
            sql.append(')');
        }
        if (s.commonName() != null) {
            sql.append(" AND common_name = ?");
            args.add(s.commonName());
        }
        if (s.profile() != null) {
            sql.append(" AND profile = ?");
            args.add(s.profile());
        }
        if (s.state() != null) {
            switch (s.state()) {
                case REVOKED -> sql.append(" AND revoked_at IS NOT NULL");
                case EXPIRED -> {
                    sql.append(" AND revoked_at IS NULL AND not_after < ?");
                    args.add(s.now().toEpochMilli());
                }
                case VALID -> {
                    sql.append(" AND revoked_at IS NULL AND not_after >= ?");
                    args.add(s.now().toEpochMilli());
                }
            }
        }
        if (s.expiringBefore() != null) {
            sql.append(" AND not_after < ?");
            args.add(s.expiringBefore().toEpochMilli());
        }
        return new SearchClause(sql.toString(), List.copyOf(args));
    }

    /** Binds the clause's arguments, then {@code more} (ints, e.g. LIMIT and OFFSET), from parameter 1 on. */
    void bind(PreparedStatement ps, int... more) throws SQLException {
        int i = 1;
        for (Object arg : args) {
            if (arg instanceof Long l) {
                ps.setLong(i++, l);
            } else {
                ps.setString(i++, (String) arg);
            }
        }
        for (int n : more) {
            ps.setInt(i++, n);
        }
    }
}
