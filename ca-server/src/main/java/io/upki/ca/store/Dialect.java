package io.upki.ca.store;

import java.sql.SQLException;

/** The few places where the CA's SQL differs between SQLite and PostgreSQL. */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /**
     * Whether {@code e} is a unique-key violation on {@code table}: SQLite names {@code table.column}
     * in its message, PostgreSQL reports SQLSTATE 23505 with a constraint named after the table.
     */
    public boolean uniqueViolation(SQLException e, String table) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return switch (this) {
            case SQLITE -> message.contains("UNIQUE constraint failed: " + table + ".");
            case POSTGRESQL -> "23505".equals(e.getSQLState()) && message.contains("\"" + table + "_");
        };
    }
}
