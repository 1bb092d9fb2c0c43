package io.upki.ca.store;

import java.sql.SQLException;

/** The few places where the CA's SQL differs between SQLite and PostgreSQL. */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /**
     * Whether {@code value} can be stored at all: PostgreSQL's text type has no NUL character (its
     * server refuses the parameter), so a lookup for such a value can only find nothing.
     */
    public boolean storable(String value) {
        return this != POSTGRESQL || value == null || value.indexOf('\0') < 0;
    }

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
