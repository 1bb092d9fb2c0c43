package io.upki.ca.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The CA store on a PostgreSQL server, through a HikariCP pool. A commit returns once PostgreSQL has
 * flushed it to its WAL ({@code synchronous_commit} as the server sets it, {@code on} by default), so an
 * acknowledged write survives a crash of this process and of the server.
 *
 * <p>Calls nest as on SQLite: work started inside a {@link #transaction} on the same thread joins that
 * transaction's connection instead of taking a second one from the pool.
 */
public final class PostgresDatabase implements Database {
    /** Enough for the worker lanes of a 2..8-core CA plus readiness and metrics. */
    private static final int POOL_SIZE = 10;

    private final HikariDataSource pool;
    private final String description;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    /**
     * Connects, and brings the schema up to date (Flyway takes its own advisory lock, so two CAs
     * starting together migrate once).
     *
     * @throws StoreException when the server cannot be reached or refuses the login
     */
    public PostgresDatabase(StoreLocation location, char[] password) {
        if (location.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("not a PostgreSQL location: " + location);
        }
        this.description = location.toString();
        HikariConfig config = new HikariConfig();
        config.setPoolName("ca-store");
        config.setJdbcUrl(location.jdbcUrl());
        config.setUsername(location.user());
        if (password != null) {
            config.setPassword(new String(password));
        }
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(10_000);
        config.setAutoCommit(true);
        try {
            this.pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the CA store " + description + ": " + rootMessage(e), e);
        }
        try {
            Migrations.apply(pool, Dialect.POSTGRESQL, 0);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public <T> T read(Work<T> work) {
        Connection joined = current.get();
        try {
            if (joined != null) {
                return work.run(joined);
            }
            try (Connection c = pool.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T transaction(Work<T> work, boolean durable) {
        Connection joined = current.get();
        try {
            if (joined != null) {
                return work.run(joined);
            }
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                current.set(c);
                try {
                    if (!durable) {
                        // Same contract as SQLite's synchronous=NORMAL: committed for every other session at
                        // once, flushed to the WAL a moment later (a server crash may undo it).
                        try (Statement s = c.createStatement()) {
                            s.execute("SET LOCAL synchronous_commit TO OFF");
                        }
                    }
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                } finally {
                    current.remove();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the first error is the one reported; the pool discards a broken connection
        }
    }

    /** The server is reachable, and is a primary that takes writes (not a read-only hot standby). */
    @Override
    public void checkWritable() {
        boolean readOnly = read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW transaction_read_only")) {
                return rs.next() && "on".equals(rs.getString(1));
            }
        });
        if (readOnly) {
            throw new StoreException("the PostgreSQL server " + description + " is read-only", null);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
