package io.upki.acme.db;

import java.util.Arrays;
import java.util.List;

/**
 * The database engines the ACME store runs on, told apart by the JDBC URL: each has its own folder of
 * Flyway migrations (so its DDL can use its own types), the statements that set up each connection,
 * the column that orders rows as they were inserted, and how a transaction locks a row it will change.
 */
public enum Engine {
    /**
     * SQLite in WAL mode. {@code synchronous=NORMAL}: a committed change survives a crash of the process
     * (WAL frames are in the OS's hands at commit); the CA keeps its own durable record of every
     * certificate it signs. {@code busy_timeout}: Flyway's connection and the store's may meet at start.
     * No row locks: one connection under one lock already runs every transaction alone.
     */
    SQLITE("jdbc:sqlite:", "classpath:io/upki/acme/db/sqlite", "rowid", "", true,
            List.of("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")),
    /**
     * PostgreSQL, shared by replicated ra-cores: an identity column {@code seq} keeps insertion order, and
     * {@code FOR UPDATE} makes a read-then-write transaction wait for another replica's on the same row.
     * Commits are durable as the server's {@code synchronous_commit} says ({@code on} by default). There
     * was never a PostgreSQL store before Flyway, so nothing is baselined. The tables live in their own
     * schema {@code acme}, so one database can also hold the CA's store (or anything else) without names
     * meeting, and Flyway's "empty schema" check looks at ACME's tables only.
     */
    POSTGRESQL("jdbc:postgresql:", "classpath:io/upki/acme/db/postgresql", "seq", " FOR UPDATE", false, List.of());

    private final String urlPrefix;
    private final String migrations;
    private final String insertionOrder;
    private final String forUpdate;
    private final boolean baselinesLegacy;
    private final List<String> sessionStatements;

    Engine(String urlPrefix, String migrations, String insertionOrder, String forUpdate, boolean baselinesLegacy,
           List<String> sessionStatements) {
        this.urlPrefix = urlPrefix;
        this.migrations = migrations;
        this.insertionOrder = insertionOrder;
        this.forUpdate = forUpdate;
        this.baselinesLegacy = baselinesLegacy;
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
                + Arrays.stream(values()).map(e -> e.urlPrefix).toList() + ")");
    }

    /** The Flyway location of this engine's migrations. */
    public String migrations() {
        return migrations;
    }

    /** The column expression that sorts a table's rows in insertion order. */
    public String insertionOrder() {
        return insertionOrder;
    }

    /** The suffix of a SELECT that locks the rows it reads until the transaction ends ("" where not needed). */
    public String forUpdate() {
        return forUpdate;
    }

    boolean baselinesLegacy() {
        return baselinesLegacy;
    }

    List<String> sessionStatements() {
        return sessionStatements;
    }
}
