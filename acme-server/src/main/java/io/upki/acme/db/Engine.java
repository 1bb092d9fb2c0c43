package io.upki.acme.db;

import java.util.List;

/**
 * The database engines the ACME store runs on, told apart by the JDBC URL: each has its own folder of
 * Flyway migrations (so its DDL can use its own types), the statements that set up each connection,
 * and the column that orders rows as they were inserted.
 *
 * <p>A second engine (PostgreSQL) plugs in as one more constant: its URL prefix, a migrations folder
 * {@code io/upki/acme/db/postgresql} whose schema adds an identity column for insertion order, and no
 * session statements; the stores' SQL stays the same.
 */
public enum Engine {
    /**
     * SQLite in WAL mode. {@code synchronous=NORMAL}: a committed change survives a crash of the process
     * (WAL frames are in the OS's hands at commit); the CA keeps its own durable record of every
     * certificate it signs. {@code busy_timeout}: Flyway's connection and the store's may meet at start.
     */
    SQLITE("jdbc:sqlite:", "classpath:io/upki/acme/db/sqlite", "rowid",
            List.of("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000"));

    private final String urlPrefix;
    private final String migrations;
    private final String insertionOrder;
    private final List<String> sessionStatements;

    Engine(String urlPrefix, String migrations, String insertionOrder, List<String> sessionStatements) {
        this.urlPrefix = urlPrefix;
        this.migrations = migrations;
        this.insertionOrder = insertionOrder;
        this.sessionStatements = sessionStatements;
    }

    /** The engine of a JDBC URL; an unknown engine is refused rather than guessed. */
    public static Engine of(String jdbcUrl) {
        for (Engine e : values()) {
            if (jdbcUrl != null && jdbcUrl.startsWith(e.urlPrefix)) {
                return e;
            }
        }
        throw new IllegalArgumentException("acme database: unsupported JDBC URL (supported: "
                + java.util.Arrays.stream(values()).map(e -> e.urlPrefix).toList() + ")");
    }

    /** The Flyway location of this engine's migrations. */
    public String migrations() {
        return migrations;
    }

    /** The column expression that sorts a table's rows in insertion order. */
    public String insertionOrder() {
        return insertionOrder;
    }

    List<String> sessionStatements() {
        return sessionStatements;
    }
}
