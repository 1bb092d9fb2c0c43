package io.upki.pki.caclient;

import io.upki.pki.process.DaemonThreads;
import io.upki.pki.wire.CaEvent;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.WireCodec;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Follows the CA's event feed (ZeroMQ SUB on the ops port + 2, CURVE when {@link CaCurve#enabled()}) on
 * its own thread and hands each well-formed {@link CaEvent} to a consumer. ZeroMQ reconnects by itself,
 * every 100 ms to 500 ms; events published while disconnected are lost, which the CA's once-a-second
 * {@code state} heartbeat makes up for. Events are hints: consumers fetch and verify the CRL themselves.
 * The endpoint may list an active/standby pair's feeds, {@code tcp://a:5002,tcp://b:5002}: one SUB socket
 * connects to both, and only the active CA publishes.
 */
public final class CaEventSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaEventSubscriber.class);

    private final String endpoint;
    private final CaCurve curve;
    private final WireCodec codec;
    private final Consumer<CaEvent> consumer;
    private final ZContext context = ZmqContexts.open("ca-events");
    private volatile boolean running = true;
    private Thread thread;

    /** @param curve CURVE settings: a CURVE CA's feed admits only the roles it lists (docs/SECURITY.md) */
    public CaEventSubscriber(String endpoint, CaCurve curve, WireCodec codec, Consumer<CaEvent> consumer) {
        this.endpoint = endpoint;
        this.curve = curve;
        this.codec = codec;
        this.consumer = consumer;
    }

    /** Connects and starts delivering on a daemon thread named {@code name}. */
    public void start(String name) {
        thread = DaemonThreads.start(name, this::run);
    }

    private void run() {
        ZMQ.Socket sub = context.createSocket(SocketType.SUB);
        sub.setLinger(0);
        sub.setReconnectIVL(100);
        sub.setReconnectIVLMax(500);
        // jeromq#1022: a new connection can stall until the handshake timer (30 s by default) fires,
        // losing every event meanwhile; a short timer makes it retry at once (see ZmqCaClient).
        sub.setHandshakeIvl(1000);
        sub.setReceiveTimeOut(500);
        sub.setMaxMsgSize(64 * 1024);
        sub.subscribe(new byte[0]);
        if (curve.enabled()) {
            sub.setCurveServerKey(ZMQ.Curve.z85Decode(curve.caPublicKey()));
            sub.setCurvePublicKey(curve.clientKeys().publicBytes());
            sub.setCurveSecretKey(curve.clientKeys().secretBytes());
        }
        for (String feed : ZmqCaClient.parseEndpoints(endpoint)) {
            sub.connect(feed); // an active/standby pair: both feeds, only the active CA publishes
        }
        try {
            while (running) {
                byte[] frame = sub.recv();
                if (frame == null) {
                    continue;
                }
                try {
                    consumer.accept(codec.fromBytes(frame, CaEvent.class));
                } catch (CaProtocolException e) {
                    LOG.warn("ignoring a malformed CA event: {}", e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("CA event subscription to {} stopped", endpoint, e);
            }
        } finally {
            context.destroySocket(sub);
        }
    }

    @Override
    public void close() {
        running = false;
        DaemonThreads.join(thread, Duration.ofSeconds(2));
        context.close();
    }
}
