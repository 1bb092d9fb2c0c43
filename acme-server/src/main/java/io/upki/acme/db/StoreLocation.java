package io.upki.acme.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Pattern;

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
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.$-]{0,62}");
    private static final String SCHEME = "postgresql://";
    private static final String FORM = "postgresql://USER@HOST:PORT/DB";

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
        String t = text.strip();
        if (!t.startsWith(SCHEME)) {
            throw new IllegalArgumentException("acme-store: expected " + FORM + " (or nothing for acme.db in the data directory)");
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("acme-store: not a URL of the form " + FORM);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("acme-store: no host in the URL: " + FORM);
        }
        String user = uri.getRawUserInfo();
        if (user != null && user.contains(":")) {
            throw new IllegalArgumentException("acme-store: the URL must not carry a password (use PGPASSWORD or "
                    + "--acme-store-password-file)");
        }
        if (user == null || !NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("acme-store: name the database user as a plain name: " + FORM);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String db = path.startsWith("/") ? path.substring(1) : path;
        if (!NAME.matcher(db).matches()) {
            throw new IllegalArgumentException("acme-store: name the database as a plain name: " + FORM);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("acme-store: no query or fragment is accepted: " + FORM);
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        return new StoreLocation(null, user, uri.getHost(), port, db, password);
    }

    /** True for a database other processes may share (PostgreSQL). */
    public boolean shared() {
        return sqliteFile == null;
    }

    /** The JDBC URL (without credentials). */
    public String jdbcUrl() {
        return shared() ? "jdbc:postgresql://" + host + ":" + port + "/" + database
                + "?ApplicationName=upki-acme&tcpKeepAlive=true"
                : "jdbc:sqlite:" + sqliteFile;
    }

    /** Opens the database, bringing its schema up to date. */
    public Database open() {
        return shared() ? Database.open(jdbcUrl(), user, password) : Database.sqlite(sqliteFile);
    }

    /** For logs and the startup line: never the password. */
    @Override
    public String toString() {
        return shared() ? SCHEME + user + "@" + host + ":" + port + "/" + database : "sqlite:" + sqliteFile;
    }
}
