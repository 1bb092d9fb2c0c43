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
import io.upki.pki.ops.Readiness;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.WireCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.zeromq.ZContext;

/**
 * What a standby CA serves while another CA of its store is active: the operations and registration
 * ports answer every request at once with {@code UPKI ERROR [1200]} (STANDBY), and {@code /ready} says
 * standby (503). A prompt, explicit refusal, rather than unbound ports, is what makes client failover
 * fast: a client learns in one round trip that this CA executed nothing and moves to the next endpoint,
 * where silence would cost it a whole reply timeout and leave a sign's outcome unknown.
 */
public final class StandbyServer implements AutoCloseable {
    static final String MESSAGE = "CA is on standby: another ca-server of this store is active; nothing was done";

    private final ZContext zmq;
    private final ZapHandler zap;
    private final ZmqFrontend operations;
    private final ZmqFrontend registration;
    private final Lanes lanes;
    private final OpsServer ops;

    private StandbyServer(ZContext zmq, ZapHandler zap, ZmqFrontend operations, ZmqFrontend registration, Lanes lanes,
                          OpsServer ops) {
        this.zmq = zmq;
        this.zap = zap;
        this.operations = operations;
        this.registration = registration;
        this.lanes = lanes;
        this.ops = ops;
    }

    /**
     * Binds the CA's operations and registration ports (and the operations listener when {@code opsAddress}
     * is given) with the standby refusal.
     *
     * @param curve the CA's CURVE key pair under {@code curve} client authentication, else null
     * @param clients the known client keys (a snapshot of the store) under CURVE, else null
     */
    public static StandbyServer start(CaConfig config, ClientAuth auth, CurveKeys curve, ClientRegistry clients,
                                      InetSocketAddress opsAddress, AuditLog audit) throws IOException {
        ZContext zmq = new ZContext(1);
        ZapHandler zap = null;
        ZmqFrontend operations = null;
        ZmqFrontend registration = null;
        Lanes lanes = Lanes.forCores(1); // never used: every request is answered on the frontend thread
        OpsServer ops = null;
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
            return new StandbyServer(zmq, zap, operations, registration, lanes, ops);
        } catch (IOException | RuntimeException e) {
            new StandbyServer(zmq, zap, operations, registration, lanes, ops).close();
            throw e;
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
    }
}
