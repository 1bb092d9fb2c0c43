package io.upki.ca.standby;

import io.upki.ca.store.StoreException;
import io.upki.ca.store.StoreLocation;
import io.upki.pki.process.DaemonThreads;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to sign for a shared store: a PostgreSQL session-level advisory lock held on a dedicated
 * connection (never a pooled one, whose session could be handed to other work or recycled).
 *
 * <p>PostgreSQL releases the lock when that session ends: when the active CA stops, or when it dies
 * and the server sees its connection close (at once for a killed process, whose kernel closes the
 * socket; after the TCP keepalive settings below for a machine that vanished). If this CA loses the
 * connection it can no longer know that it is the only signer, so {@link #watch} hands the loss to the
 * caller, which stops the process (fail closed).
 */
public final class ActiveLock implements AutoCloseable {
    /** The lock's key, the same for every CA of a store (advisory locks are per database). */
    static final long KEY = 0x75706b69_63610001L; // "upkica" + 1
    private static final Logger LOG = LoggerFactory.getLogger(ActiveLock.class);

    private final StoreLocation location;
    private final char[] password;
    private volatile Connection connection;
    private ScheduledExecutorService watchdog;
    private volatile boolean closed;

    public ActiveLock(StoreLocation location, char[] password) {
        if (!location.shared()) {
            throw new IllegalArgumentException("only a PostgreSQL store has an active lock");
        }
        this.location = location;
        this.password = password;
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", location.user());
        if (password != null) {
            props.setProperty("password", new String(password));
        }
        props.setProperty("ApplicationName", "upki-ca-active-lock");
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        Connection c = DriverManager.getConnection(location.jdbcUrl(), props);
        try (Statement s = c.createStatement()) {
            // The URL's own ApplicationName (upki-ca) wins over the property: name the session here, so
            // that an administrator can tell the lock's session from the pool's (pg_stat_activity).
            s.execute("SET application_name = 'upki-ca-active-lock'");
            // The server notices a vanished CA machine after about 5 + 2 x 3 = 11 s and frees the lock.
            s.execute("SET tcp_keepalives_idle = 5");
            s.execute("SET tcp_keepalives_interval = 2");
            s.execute("SET tcp_keepalives_count = 3");
        }
        return c;
    }

    /** Takes the lock if it is free; false when another CA holds it. */
    public synchronized boolean tryAcquire() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connect();
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        } catch (SQLException e) {
            closeConnection();
            throw new StoreException("cannot reach the CA store " + location + " for the active lock: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Waits until the lock is this CA's, trying every {@code poll}; a store that cannot be reached is
     * retried (logged), as the standby must outlive a database restart.
     */
    public void awaitAcquired(Duration poll) throws InterruptedException {
        long lastWarning = 0;
        while (!closed) {
            try {
                if (tryAcquire()) {
                    return;
                }
            } catch (StoreException e) {
                if (System.nanoTime() - lastWarning > TimeUnit.SECONDS.toNanos(30)) {
                    LOG.warn("standby: {}", e.getMessage());
                    lastWarning = System.nanoTime();
                }
            }
            Thread.sleep(poll.toMillis());
        }
        throw new InterruptedException("closed while waiting for the active lock");
    }

    /**
     * Checks every {@code every} that the lock's session is alive and still holds the lock; on the first
     * failure runs {@code onLoss} once. Between checks the session waits in the server ({@code pg_sleep}),
     * so a session the server ends (pg_terminate_backend, a fast shutdown) is noticed at once rather than at
     * the next check: the standby may take the lock within its poll, and this CA must stop signing first.
     */
    public synchronized void watch(Duration every, Runnable onLoss) {
        watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ca-active-lock"));
        watchdog.scheduleWithFixedDelay(() -> {
            if (closed) {
                return;
            }
            String problem = check();
            if (problem == null) {
                problem = pause(every);
            }
            if (problem != null && !closed) {
                LOG.error("active lock lost: {}", problem);
                watchdog.shutdown();
                onLoss.run();
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
    }

    /** Waits {@code every} in the lock's session; null, or why the session failed meanwhile. */
    private String pause(Duration every) {
        Connection c = connection;
        if (c == null) {
            return "the lock's connection is closed";
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(?)")) {
            ps.setQueryTimeout((int) every.toSeconds() + 10);
            ps.setDouble(1, every.toMillis() / 1000.0);
            ps.execute();
            return null;
        } catch (SQLException | RuntimeException e) {
            return "the lock's connection failed: " + e.getMessage();
        }
    }

    /** Null while the lock is held, else why it is not. */
    private synchronized String check() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = "
                + "'advisory' AND granted AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = ?")) {
            ps.setQueryTimeout(10);
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0 ? null : "the session no longer holds the lock";
            }
        } catch (SQLException | RuntimeException e) {
            return "the lock's connection failed: " + e.getMessage();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing frees the lock on the server either way
            }
            connection = null;
        }
    }

    /** Releases the lock (closing its session), so that the standby takes over at once. */
    @Override
    public synchronized void close() {
        closed = true;
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        closeConnection();
    }
}
