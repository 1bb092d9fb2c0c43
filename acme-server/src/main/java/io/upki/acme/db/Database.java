package io.upki.acme.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The ACME stores' one database, migrated by Flyway when opened. On SQLite one connection is used under
 * one lock (one writer per file); on PostgreSQL each call takes a connection from a HikariCP pool, so
 * several replicas and several requests run side by side. Each statement outside a {@link #transaction}
 * commits on its own (auto-commit) before its caller answers; a transaction binds one connection to the
 * calling thread until it commits.
 */
public final class Database implements AutoCloseable {
    /** The history table: its own name, so ACME can share a server database with other schemas one day. */
    static final String HISTORY_TABLE = "acme_schema_history";
    /** PostgreSQL: the schema of ACME's tables (and of its history), created by Flyway when missing. */
    static final String PG_SCHEMA = "acme";
    /** Enough for Javalin's busy request threads, validation and housekeeping of one replica. */
    private static final int POOL_SIZE = 10;
    private final Engine engine;
    /** SQLite: the one connection, used under {@link #lock}; null on PostgreSQL. */
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    /** SQLite: statements prepared once per SQL text (pgjdbc caches server-side statements per connection itself). */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** PostgreSQL: the pool; null on SQLite. */
    private final HikariDataSource pool;
    /** PostgreSQL: the connection of the transaction the current thread is in. */
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

    private Database(Engine engine, Connection connection, HikariDataSource pool) {
        this.engine = engine;
        this.connection = connection;
        this.pool = pool;
    }

    /** Opens (creating when needed) the SQLite database {@code file}. */
    public static Database sqlite(Path file) {
        return open("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** Opens the database at {@code jdbcUrl}, with no credentials (see {@link #open(String, String, char[])}). */
    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, null, null);
    }

    /**
     * Brings the database at {@code jdbcUrl} to the newest schema and opens it. A SQLite database created
     * before the migrations existed (tables, no history) is taken as version 1 (a Flyway baseline: the
     * schema of V1 is exactly what those versions created), and the later migrations run on it. Two
     * replicas starting together migrate once: Flyway holds a lock on the history (on PostgreSQL an
     * advisory lock) while it works.
     *
     * @throws IllegalStateException when the database cannot be reached, opened or migrated
     */
    public static Database open(String jdbcUrl, String user, char[] password) {
        Engine engine = Engine.of(jdbcUrl);
        HikariDataSource pool = engine == Engine.POSTGRESQL ? pool(jdbcUrl, user, password) : null;
        try {
            var flyway = Flyway.configure(Database.class.getClassLoader())
                    .locations(engine.migrations())
                    .table(HISTORY_TABLE);
            if (pool != null) {
                flyway.dataSource(pool).schemas(PG_SCHEMA);
            } else {
                flyway.dataSource(jdbcUrl, user, password == null ? null : new String(password));
            }
            if (engine.baselinesLegacy()) {
                flyway.baselineOnMigrate(true).baselineVersion("1").baselineDescription("ACME schema created before Flyway");
            }
            flyway.load().migrate();
        } catch (FlywayException e) {
            closeQuietly(pool);
            throw new IllegalStateException("cannot migrate the ACME database: " + e.getMessage(), e);
        }
        if (pool != null) {
            return new Database(engine, null, pool);
        }
        try {
            Connection c = DriverManager.getConnection(jdbcUrl);
            try (Statement s = c.createStatement()) {
                for (String sql : engine.sessionStatements()) {
                    s.execute(sql);
                }
            }
            return new Database(engine, c, null);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the ACME database: " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(String jdbcUrl, String user, char[] password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("acme-store");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setSchema(PG_SCHEMA); // the search path of every connection: the stores' SQL names no schema
        if (password != null) {
            config.setPassword(new String(password));
        }
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(5_000); // then the request fails (serverInternal), as a silent CA does after --ca-timeout
        config.setAutoCommit(true);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to the ACME database: " + rootMessage(e), e);
        }
    }

    public Engine engine() {
        return engine;
    }

    /** True when other processes may share this database (a server engine), so state must never stay in memory. */
    public boolean shared() {
        return engine == Engine.POSTGRESQL;
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    /** The first row of a query, if any. */
    public <T> Optional<T> one(String sql, RowReader<T> reader, Object... args) {
        List<T> rows = all(sql, reader, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public <T> List<T> all(String sql, RowReader<T> reader, Object... args) {
        return withStatement(sql, args, s -> {
            try (ResultSet r = s.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (r.next()) {
                    out.add(reader.read(r));
                }
                return out;
            }
        });
    }

    /** Runs an INSERT, UPDATE or DELETE; returns how many rows it changed. */
    public int update(String sql, Object... args) {
        return withStatement(sql, args, PreparedStatement::executeUpdate);
    }

    /** Runs {@code work} as one atomic change; inside another transaction it joins that one. */
    public void transaction(Runnable work) {
        if (pool == null) {
            lock.lock();
            try {
                sqliteTransaction(work);
            } finally {
                lock.unlock();
            }
            return;
        }
        if (transaction.get() != null) {
            work.run(); // already inside a transaction of this database on this thread
            return;
        }
        try (Connection c = pool.getConnection()) {
            transaction.set(c);
            try {
                commitOrRollBack(c, work);
            } finally {
                transaction.remove();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void sqliteTransaction(Runnable work) {
        try {
            if (!connection.getAutoCommit()) {
                work.run(); // already inside a transaction of this database
                return;
            }
            commitOrRollBack(connection, work);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs {@code work} on {@code c} as one transaction, then puts the connection back in auto-commit. */
    private static void commitOrRollBack(Connection c, Runnable work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
            return;
        }
        lock.lock();
        try {
            for (PreparedStatement s : statements.values()) {
                s.close();
            }
            connection.close();
        } catch (SQLException ignored) {
            // closing
        } finally {
            lock.unlock();
        }
    }

    /** Work on one bound statement. */
    @FunctionalInterface
    private interface StatementWork<T> {
        T run(PreparedStatement s) throws SQLException;
    }

    private <T> T withStatement(String sql, Object[] args, StatementWork<T> work) {
        try {
            if (pool == null) {
                lock.lock();
                try {
                    PreparedStatement s = statements.get(sql);
                    if (s == null) {
                        s = connection.prepareStatement(sql);
                        statements.put(sql, s);
                    }
                    return work.run(bind(s, args));
                } finally {
                    lock.unlock();
                }
            }
            Connection joined = transaction.get();
            if (joined != null) {
                try (PreparedStatement s = joined.prepareStatement(sql)) {
                    return work.run(bind(s, args));
                }
            }
            try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
                return work.run(bind(s, args));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static PreparedStatement bind(PreparedStatement s, Object[] args) throws SQLException {
        s.clearParameters();
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("ACME store: " + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static void closeQuietly(HikariDataSource pool) {
        if (pool != null) {
            pool.close();
        }
    }
}
