package io.upki.ca.store;

import io.upki.pki.store.PostgresUrl;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the CA keeps its state: the SQLite file of its data directory (the default), or a PostgreSQL
 * database named {@code postgresql://USER@HOST:PORT/DB}. The URL never carries a password: it would be
 * on the command line and in process listings.
 *
 * @param sqliteFile the SQLite file, for {@link Dialect#SQLITE}
 */
public record StoreLocation(Dialect dialect, Path sqliteFile, String user, String host, int port, String database) {
    public StoreLocation {
        Objects.requireNonNull(dialect, "dialect");
        if (dialect == Dialect.SQLITE) {
            Objects.requireNonNull(sqliteFile, "sqliteFile");
        }
    }

    public static StoreLocation sqlite(Path file) {
        return new StoreLocation(Dialect.SQLITE, file, null, null, 0, null);
    }

    /**
     * Parses {@code --store}: blank means the SQLite file {@code defaultFile}, otherwise a
     * {@code postgresql://USER@HOST[:PORT]/DB} URL.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing a password)
     */
    public static StoreLocation parse(String text, Path defaultFile) {
        if (text == null || text.isBlank() || text.strip().equals("sqlite")) {
            return sqlite(defaultFile);
        }
        PostgresUrl url = PostgresUrl.parse("--store", text, "--store-password-file");
        return new StoreLocation(Dialect.POSTGRESQL, null, url.user(), url.host(), url.port(), url.database());
    }

    public boolean shared() {
        return dialect == Dialect.POSTGRESQL;
    }

    /** The JDBC URL of a PostgreSQL location. */
    public String jdbcUrl() {
        return new PostgresUrl(user, host, port, database).jdbcUrl("upki-ca");
    }

    /**
     * Opens the store and brings its schema up to date.
     *
     * @param password the PostgreSQL password (null for SQLite, or a server that needs none)
     */
    public Database open(char[] password) {
        return dialect == Dialect.SQLITE ? new SqliteDatabase(sqliteFile) : new PostgresDatabase(this, password);
    }

    /** For logs: no password is ever part of a location. */
    @Override
    public String toString() {
        return dialect == Dialect.SQLITE ? "sqlite:" + sqliteFile : new PostgresUrl(user, host, port, database).toString();
    }
}
