package io.upki.ca.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteDataSource;

/**
 * The CA's embedded SQLite database: one connection, WAL journal with {@code synchronous=FULL}, so a
 * committed transaction has been fsynced and survives a crash of the process or the machine.
 *
 * <p>All access is serialised on one lock: SQLite has a single writer anyway, every statement here is
 * an indexed lookup or a short write, and the expensive work (signing) happens outside the lock.
 */
public final class SqliteDatabase implements Database {
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private final Path file;

    public SqliteDatabase(Path file) {
        this.file = file;
        try {
            this.connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new StoreException("cannot open the CA database " + file + ": " + e.getMessage(), e);
        }
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=10000");
                // 64 MiB of page cache instead of SQLite's 2 MiB: the serial, CN and subject indexes of
                // 100,000+ certificates stay in memory, so an insert with a random serial does not read
                // its index pages back from the OS for every certificate.
                s.execute("PRAGMA cache_size=-65536");
            }
            migrate(file);
        } catch (SQLException e) {
            closeQuietly();
            throw new StoreException("cannot open the CA database " + file + ": " + e.getMessage(), e);
        } catch (StoreException e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * Hands the schema to Flyway ({@link Migrations}); a store from before Flyway passes its
     * {@code user_version} so that it is baselined there.
     */
    private void migrate(Path file) throws SQLException {
        int legacy = 0;
        boolean history;
        try (Statement s = connection.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'flyway_schema_history'")) {
            history = rs.next() && rs.getInt(1) > 0;
        }
        if (!history) {
            try (Statement s = connection.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
                legacy = rs.next() ? rs.getInt(1) : 0;
            }
        }
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        source.setBusyTimeout(10_000);
        Migrations.apply(source, Dialect.SQLITE, legacy);
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    public String describe() {
        return "SQLite " + file.toAbsolutePath();
    }

    /** Runs a read, or a single-statement write (which SQLite commits durably on its own). */
    @Override
    public <T> T read(Work<T> work) {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes SQLite's write lock and gives it back without writing: proves the database is open, not
     * read-only and not locked by another writer (readiness).
     */
    @Override
    public void checkWritable() {
        read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("ROLLBACK");
            }
            return null;
        });
    }

    /**
     * A transaction not {@code durable} is not fsynced: {@code synchronous=NORMAL} in WAL mode survives a
     * crash of the process and never corrupts the database, but the last commits may be rolled back by a
     * power loss.
     */
    @Override
    public <T> T transaction(Work<T> work, boolean durable) {
        lock.lock();
        try {
            if (!durable) {
                synchronous(connection, "NORMAL");
            }
            try {
                return inTransaction(work);
            } finally {
                if (!durable) {
                    synchronous(connection, "FULL");
                }
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static void synchronous(Connection connection, String level) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA synchronous=" + level);
        }
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already failing: the first error is the one reported
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
