package io.upki.pki.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A PostgreSQL database named as upki's options name it, {@code postgresql://USER@HOST[:PORT]/DB}: the
 * CA's {@code --store} and ra-core's {@code --acme-store}. The URL never carries a password (it would be
 * on the command line and in process listings), and no refusal echoes the value.
 */
public record PostgresUrl(String user, String host, int port, String database) {
    public static final String SCHEME = "postgresql://";
    public static final String FORM = "postgresql://USER@HOST:PORT/DB";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.$-]{0,62}");
    private static final int DEFAULT_PORT = 5432;

    /** Whether {@code text} names a PostgreSQL database (else the caller's default store applies). */
    public static boolean names(String text) {
        return text != null && text.strip().startsWith(SCHEME);
    }

    /**
     * Parses a store option's value.
     *
     * @param option the option, first in every message ({@code --store}, {@code acme-store})
     * @param passwordFileOption where the password goes instead, named in the refusal of a URL carrying one
     * @throws IllegalArgumentException one line naming what is wrong
     */
    public static PostgresUrl parse(String option, String text, String passwordFileOption) {
        String t = text == null ? "" : text.strip();
        if (!t.startsWith(SCHEME)) {
            throw new IllegalArgumentException(option + ": expected " + FORM);
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + ": not a URL of the form " + FORM);
        }
        String user = uri.getRawUserInfo();
        if (user != null && user.contains(":")) {
            throw new IllegalArgumentException(option + ": the URL must not carry a password (give it in PGPASSWORD or "
                    + passwordFileOption + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(option + ": no host in the URL, " + FORM);
        }
        if (user == null || !NAME.matcher(user).matches()) {
            throw new IllegalArgumentException(option + ": name the database user as a plain name (letters, digits, "
                    + "_ . $ -): " + FORM);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (!NAME.matcher(database).matches()) {
            throw new IllegalArgumentException(option + ": name the database as a plain name (user and database must be "
                    + "plain names: letters, digits, _ . $ -): " + FORM);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(option + ": no query or fragment is accepted in the URL");
        }
        return new PostgresUrl(user, uri.getHost(), uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort(), database);
    }

    /** The JDBC URL, without credentials; {@code application} names the connections in pg_stat_activity. */
    public String jdbcUrl(String application) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?ApplicationName=" + application
                + "&tcpKeepAlive=true";
    }

    /** For logs: never a password. */
    @Override
    public String toString() {
        return SCHEME + user + "@" + host + ":" + port + "/" + database;
    }
}
