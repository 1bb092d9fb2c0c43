package io.upki.ca.standby;

import io.upki.ca.access.ClientAuth;
import io.upki.ca.access.ClientRegistry;
import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CaCurveKey;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.config.CaConfig;
import io.upki.ca.store.Database;
import io.upki.ca.store.JdbcClientRepository;
import io.upki.ca.store.StoreLocation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a CA on a shared store: take the active lock, serving as a standby until it is free,
 * then hand the ports over to the CA that was opened meanwhile. The lock is held for the rest of the
 * process; should it be lost, the process stops at once (exit 75, EX_TEMPFAIL) so that its supervisor
 * restarts it as a standby, rather than risk two CAs signing while neither knows of the other.
 */
public final class ActiveStandby {
    /** How often the standby tries the lock: the floor of a takeover's delay. */
    static final Duration POLL = Duration.ofMillis(200);
    /** How often the active CA checks that it still holds the lock. */
    static final Duration WATCH = Duration.ofSeconds(1);
    /** The exit status of a CA that lost its lock (sysexits.h EX_TEMPFAIL: restart me). */
    public static final int LOST_LOCK_EXIT = 75;
    private static final Logger LOG = LoggerFactory.getLogger(ActiveStandby.class);

    private final ActiveLock lock;
    private StandbyServer standby;

    private ActiveStandby(ActiveLock lock, StandbyServer standby) {
        this.lock = lock;
        this.standby = standby;
    }

    /**
     * Returns once this CA holds the store's active lock. While another CA holds it, the ports answer
     * STANDBY and {@code /ready} says standby; they stay bound until {@link #handOver}.
     */
    public static ActiveStandby await(StoreLocation location, char[] password, CaConfig config, ClientAuth auth,
                                      InetSocketAddress ops, AuditLog audit, Clock clock)
            throws IOException, InterruptedException {
        ActiveLock lock = new ActiveLock(location, password);
        try {
            if (lock.tryAcquire()) {
                LOG.info("active: this CA holds the lock of store {}", location);
                return new ActiveStandby(lock, null);
            }
            StandbyServer standby;
            // Under CURVE the store stays open while this CA waits: the known keys are read again every
            // second (StandbyServer.REFRESH), as the active CA keeps enrolling clients meanwhile.
            boolean curve = auth == ClientAuth.CURVE;
            Database db = curve ? location.open(password) : null;
            try {
                CaFiles files = new CaFiles(config.dataDir());
                standby = StandbyServer.start(config, auth, curve ? CaCurveKey.loadOrCreate(files) : null,
                        curve ? new ClientRegistry(new JdbcClientRepository(db), clock, audit) : null, ops, audit, db);
            } catch (IOException | RuntimeException e) {
                if (db != null) {
                    db.close();
                }
                throw e;
            }
            System.out.println("upki ca-server standby: operations " + config.endpoint(config.port())
                    + " answers STANDBY until the active CA of " + location + " releases its lock");
            LOG.info("standby: another CA holds the lock of store {}; waiting", location);
            try {
                lock.awaitAcquired(POLL);
            } catch (InterruptedException | RuntimeException e) {
                standby.close();
                throw e;
            }
            LOG.info("active: took over the lock of store {}", location);
            return new ActiveStandby(lock, standby);
        } catch (IOException | InterruptedException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Unbinds the standby's ports so that the CA, opened by now, can bind them, and starts watching the
     * lock.
     *
     * @param closeWithCa registers the lock to be released when the CA has stopped
     */
    public void handOver(java.util.function.Consumer<AutoCloseable> closeWithCa) {
        if (standby != null) {
            standby.close();
            standby = null;
        }
        closeWithCa.accept(lock);
        lock.watch(WATCH, () -> {
            System.err.println("ca-server: lost the active lock of the store; stopping so that a restart waits as standby");
            Runtime.getRuntime().halt(LOST_LOCK_EXIT);
        });
    }

    /** Gives up before the hand-over (the CA failed to open): releases the lock and the ports. */
    public void abandon() {
        if (standby != null) {
            standby.close();
        }
        lock.close();
    }
}
