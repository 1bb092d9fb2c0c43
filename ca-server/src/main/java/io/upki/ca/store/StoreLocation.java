package io.upki.ca.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the CA keeps its state: the SQLite file of its data directory (the default), or a PostgreSQL
 * database named {@code postgresql://USER@HOST:PORT/DB}. The URL never carries a password: it would be
 * on the command line and in process listings.
 *
 * @param sqliteFile the SQLite file, for {@link Dialect#SQLITE}
 */
public record StoreLocation(Dialect dialect, Path sqliteFile, String user, String host, int port, String database) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.$-]{0,62}");
    private static final int DEFAULT_PG_PORT = 5432;

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
        String t = text.strip();
        if (!t.startsWith("postgresql://")) {
            throw new IllegalArgumentException("--store: expected postgresql://USER@HOST:PORT/DB (or nothing for the "
                    + "SQLite file of the data directory)");
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--store: not a URL: " + e.getReason());
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            throw new IllegalArgumentException("--store: name the database user, postgresql://USER@HOST:PORT/DB");
        }
        if (userInfo.contains(":")) {
            throw new IllegalArgumentException("--store: the URL must not carry a password (give it in PGPASSWORD or "
                    + "--store-password-file)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--store: no host in the URL");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String db = path.startsWith("/") ? path.substring(1) : path;
        if (!NAME.matcher(userInfo).matches() || !NAME.matcher(db).matches()) {
            throw new IllegalArgumentException("--store: user and database must be plain names (letters, digits, _ . $ -)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("--store: no query or fragment is accepted in the URL");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PG_PORT : uri.getPort();
        return new StoreLocation(Dialect.POSTGRESQL, null, userInfo, uri.getHost(), port, db);
    }

    public boolean shared() {
        return dialect == Dialect.POSTGRESQL;
    }

    /** The JDBC URL of a PostgreSQL location. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?ApplicationName=upki-ca&tcpKeepAlive=true";
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
        return dialect == Dialect.SQLITE ? "sqlite:" + sqliteFile
                : "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
