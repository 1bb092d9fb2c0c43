package io.upki.acme.db;

import io.upki.pki.store.PostgresUrl;
import java.nio.file.Path;

/**
 * Where the ACME state lives: a SQLite file (the default, {@code acme.db} in ra-core's data directory)
 * or a PostgreSQL database named {@code postgresql://USER@HOST[:PORT]/DB} that replicated ra-cores share.
 * The URL never carries the password (it would show in process listings); the password comes from a
 * file or {@code PGPASSWORD} and is never printed.
 *
 * @param sqliteFile the SQLite file, or null for PostgreSQL
 * @param password the PostgreSQL password, or null (a server that asks for none)
 */
public record StoreLocation(Path sqliteFile, String user, String host, int port, String database, char[] password) {
    public static StoreLocation sqlite(Path file) {
        return new StoreLocation(file.toAbsolutePath(), null, null, 0, null, null);
    }

    /**
     * Parses {@code --acme-store}: blank means the SQLite file {@code defaultFile}, otherwise a PostgreSQL URL.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the value, which may hold a password)
     */
    public static StoreLocation parse(String text, Path defaultFile, char[] password) {
        if (text == null || text.isBlank()) {
            return sqlite(defaultFile);
        }
        PostgresUrl url = PostgresUrl.parse("acme-store", text, "--acme-store-password-file");
        return new StoreLocation(null, url.user(), url.host(), url.port(), url.database(), password);
    }

    /** True for a database other processes may share (PostgreSQL). */
    public boolean shared() {
        return sqliteFile == null;
    }

    /** The JDBC URL (without credentials). */
    public String jdbcUrl() {
        return shared() ? new PostgresUrl(user, host, port, database).jdbcUrl("upki-acme") : "jdbc:sqlite:" + sqliteFile;
    }

    /** Opens the database, bringing its schema up to date. */
    public Database open() {
        return shared() ? Database.open(jdbcUrl(), user, password) : Database.sqlite(sqliteFile);
    }

    /** For logs and the startup line: never the password. */
    @Override
    public String toString() {
        return shared() ? new PostgresUrl(user, host, port, database).toString() : "sqlite:" + sqliteFile;
    }
}
