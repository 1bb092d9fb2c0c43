package io.upki.ca.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The CA's embedded SQLite database: one connection, WAL journal with {@code synchronous=FULL}, so a
 * committed transaction has been fsynced and survives a crash of the process or the machine.
 *
 * <p>All access is serialised on one lock: SQLite has a single writer anyway, every statement here is
 * an indexed lookup or a short write, and the expensive work (signing) happens outside the lock.
 */
public final class SqliteDatabase implements AutoCloseable {
    private static final int SCHEMA_VERSION = 3;

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    /** Work done with the connection; may throw SQLException. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public SqliteDatabase(Path file) {
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
            migrate();
        } catch (SQLException e) {
            closeQuietly();
            throw new StoreException("cannot open the CA database " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        int version;
        try (Statement s = connection.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("database schema " + version + " is newer than this CA (" + SCHEMA_VERSION + ")");
        }
        if (version == SCHEMA_VERSION) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            connection.setAutoCommit(false);
            if (version < 1) {
                createVersion1(s);
            }
            if (version < 2) {
                // Version 2: certificates being signed, durable before their signature exists (see
                // SqliteCertificateRepository#reserve); empty except while a sign is in flight or after a crash.
                s.execute("""
                        CREATE TABLE issuing (
                          serial TEXT PRIMARY KEY,
                          tbs BLOB NOT NULL,
                          digest TEXT NOT NULL,
                          profile TEXT NOT NULL,
                          key_file TEXT,
                          issued_at INTEGER NOT NULL)""");
            }
            if (version < 3) {
                // Version 3: the CURVE client keys the CA knows and their roles (docs/SECURITY.md).
                s.execute("""
                        CREATE TABLE clients (
                          public_key TEXT PRIMARY KEY,
                          name TEXT NOT NULL,
                          role TEXT NOT NULL,
                          added_at INTEGER NOT NULL)""");
            }
            s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void createVersion1(Statement s) throws SQLException {
        // Serials are 159-bit: stored as fixed-width hex so that equality and the unique index are exact.
        s.execute("""
                CREATE TABLE certificates (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  serial TEXT NOT NULL UNIQUE,
                  common_name TEXT,
                  subject_dn TEXT NOT NULL,
                  subject_key TEXT NOT NULL,
                  profile TEXT NOT NULL,
                  not_before INTEGER NOT NULL,
                  not_after INTEGER NOT NULL,
                  issued_at INTEGER NOT NULL,
                  fingerprint TEXT NOT NULL,
                  der BLOB NOT NULL,
                  key_file TEXT,
                  revoked_at INTEGER,
                  revoke_reason INTEGER)""");
        s.execute("CREATE INDEX certificates_cn ON certificates(common_name, id)");
        s.execute("CREATE INDEX certificates_subject ON certificates(subject_key, id)");
        s.execute("CREATE INDEX certificates_revoked ON certificates(revoked_at) WHERE revoked_at IS NOT NULL");
        s.execute("CREATE TABLE admins (canonical_key TEXT PRIMARY KEY, dn TEXT NOT NULL, added_seq INTEGER NOT NULL)");
        s.execute("""
                CREATE TABLE crls (
                  number TEXT PRIMARY KEY,
                  number_width INTEGER NOT NULL,
                  this_update INTEGER NOT NULL,
                  next_update INTEGER NOT NULL,
                  der BLOB NOT NULL)""");
        s.execute("CREATE INDEX crls_order ON crls(number_width, number)");
        s.execute("""
                CREATE TABLE nodes (
                  common_name TEXT PRIMARY KEY,
                  profile TEXT NOT NULL,
                  registered_at INTEGER NOT NULL,
                  serial TEXT NOT NULL)""");
    }

    /** Runs a read, or a single-statement write (which SQLite commits durably on its own). */
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
    public void checkWritable() {
        read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("ROLLBACK");
            }
            return null;
        });
    }

    /** Runs work in one transaction: all of it is durable on return, or none of it happened. */
    public <T> T transaction(Work<T> work) {
        return transaction(work, true);
    }

    /**
     * Runs work in one transaction whose commit is not fsynced: {@code synchronous=NORMAL} in WAL mode
     * survives a crash of the process and never corrupts the database, but the last commits may be
     * rolled back by a power loss. Only for changes that something already durable can redo.
     */
    public <T> T recoverableTransaction(Work<T> work) {
        return transaction(work, false);
    }

    private <T> T transaction(Work<T> work, boolean durable) {
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
