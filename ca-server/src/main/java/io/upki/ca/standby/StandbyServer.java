package io.upki.ca.standby;

import io.upki.ca.access.AccessPolicy;
import io.upki.ca.access.ClientAuth;
import io.upki.ca.access.ClientRegistry;
import io.upki.ca.access.ZapHandler;
import io.upki.ca.audit.AuditLog;
import io.upki.ca.config.CaConfig;
import io.upki.pki.ops.OpsServer;
import io.upki.ca.wire.Lanes;
import io.upki.ca.wire.TaskRouter;
import io.upki.ca.wire.ZmqFrontend;
import io.upki.pki.caclient.CurveKeys;
import io.upki.pki.caclient.ZmqContexts;
import io.upki.pki.ops.Readiness;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.WireCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * What a standby CA serves while another CA of its store is active: the operations and registration
 * ports answer every request at once with {@code UPKI ERROR [1200]} (STANDBY), and {@code /ready} says
 * standby (503). A prompt, explicit refusal, rather than unbound ports, is what makes client failover
 * fast: a client learns in one round trip that this CA executed nothing and moves to the next endpoint,
 * where silence would cost it a whole reply timeout and leave a sign's outcome unknown.
 */
public final class StandbyServer implements AutoCloseable {
    /** How often a standby under CURVE reads the client keys again (those the active CA enrolled). */
    static final Duration REFRESH = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(StandbyServer.class);
    static final String MESSAGE = "CA is on standby: another ca-server of this store is active; nothing was done";

    private final ZContext zmq;
    private final ZapHandler zap;
    private final ZmqFrontend operations;
    private final ZmqFrontend registration;
    private final Lanes lanes;
    private final OpsServer ops;
    private final AutoCloseable store;
    private final ScheduledExecutorService refresher;

    private StandbyServer(ZContext zmq, ZapHandler zap, ZmqFrontend operations, ZmqFrontend registration, Lanes lanes,
                          OpsServer ops, AutoCloseable store, ScheduledExecutorService refresher) {
        this.zmq = zmq;
        this.zap = zap;
        this.operations = operations;
        this.registration = registration;
        this.lanes = lanes;
        this.ops = ops;
        this.store = store;
        this.refresher = refresher;
    }

    /**
     * Binds the CA's operations and registration ports (and the operations listener when {@code opsAddress}
     * is given) with the standby refusal.
     *
     * @param curve the CA's CURVE key pair under {@code curve} client authentication, else null
     * @param clients the known client keys under CURVE, read again every {@link #REFRESH}, else null
     * @param store what {@code clients} reads, closed with this server, or null
     */
    public static StandbyServer start(CaConfig config, ClientAuth auth, CurveKeys curve, ClientRegistry clients,
                                      InetSocketAddress opsAddress, AuditLog audit, AutoCloseable store)
            throws IOException {
        ZContext zmq = ZmqContexts.open("ca-server");
        ZapHandler zap = null;
        ZmqFrontend operations = null;
        ZmqFrontend registration = null;
        Lanes lanes = Lanes.forCores(1); // never used: every request is answered on the frontend thread
        OpsServer ops = null;
        ScheduledExecutorService refresher = null;
        try {
            AccessPolicy access = curve == null ? null : new AccessPolicy(auth, clients, null, audit);
            if (curve != null) {
                zap = new ZapHandler(zmq, clients, audit);
                zap.start();
            }
            TaskRouter refuse = new TaskRouter(new WireCodec()).guardedBy((caller, task) -> {
                throw new CaProtocolException(CaErrorCode.STANDBY, MESSAGE);
            });
            operations = new ZmqFrontend(zmq, config.endpoint(config.port()), refuse, lanes, curve,
                    ZapHandler.OPERATIONS, access);
            operations.start();
            registration = new ZmqFrontend(zmq, config.endpoint(config.registrationPort()), refuse, lanes, curve,
                    ZapHandler.REGISTRATION, access);
            registration.start();
            if (opsAddress != null) {
                ops = OpsServer.start("ca-standby", opsAddress, () -> Readiness.notReady("standby: another ca-server of this store "
                        + "holds the active lock; this one takes over when it is released"), StandbyServer::metrics);
            }
            if (clients != null) {
                refresher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ca-standby-clients"));
                refresher.scheduleWithFixedDelay(() -> refresh(clients), REFRESH.toMillis(), REFRESH.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            return new StandbyServer(zmq, zap, operations, registration, lanes, ops, store, refresher);
        } catch (IOException | RuntimeException e) {
            new StandbyServer(zmq, zap, operations, registration, lanes, ops, store, refresher).close();
            throw e;
        }
    }

    private static void refresh(ClientRegistry clients) {
        try {
            clients.refresh();
        } catch (RuntimeException e) {
            // The store may be restarting: the keys read last stay in force until it answers again.
            LOG.warn("standby: could not read the client keys again: {}", e.getMessage());
        }
    }

    private static String metrics() {
        return "# HELP upki_ca_standby 1 while this CA waits as the standby of its store.\n"
                + "# TYPE upki_ca_standby gauge\nupki_ca_standby 1\n";
    }

    /** The bound operations listener's port, or -1. */
    public int opsPort() {
        return ops == null ? -1 : ops.port();
    }

    /** Unbinds everything, so that the CA taking over can bind the same ports. */
    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (ops != null) {
            ops.close();
        }
        if (operations != null) {
            operations.close();
        }
        if (registration != null) {
            registration.close();
        }
        if (zap != null) {
            zap.close();
        }
        lanes.close();
        zmq.close();
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                LOG.warn("standby: closing the store: {}", e.getMessage());
            }
        }
    }
}
