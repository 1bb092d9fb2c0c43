package io.upki.ca.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one-statement reads and writes of the small repositories (clients, nodes, admins): bind the
 * parameters in order, run the statement on its own (a write is durable on return), map each row.
 */
final class Sql {
    /** Maps the current row of a result. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Sql() {
    }

    /** Runs an INSERT, UPDATE or DELETE; the number of rows it changed. */
    static int update(Database db, String sql, Object... params) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        });
    }

    /** Every row of a query, in the order the query gives. */
    static <T> List<T> list(Database db, String sql, Row<T> row, Object... params) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row.map(rs));
                    }
                }
                return out;
            }
        });
    }

    /** The first row of a query, or empty. */
    static <T> Optional<T> first(Database db, String sql, Row<T> row, Object... params) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row.map(rs)) : Optional.<T>empty();
                }
            }
        });
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof String s) {
                ps.setString(i + 1, s);
            } else if (params[i] instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (params[i] instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                throw new IllegalArgumentException("parameter " + (i + 1) + " of an unsupported type: " + params[i]);
            }
        }
    }
}
