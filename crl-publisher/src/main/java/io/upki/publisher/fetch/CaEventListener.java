package io.upki.publisher.fetch;

import io.upki.pki.caclient.CaCurve;
import io.upki.pki.wire.CaEvent;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Subscribes to the CA's event feed and hands each event to the {@link CrlRefresher}. ZeroMQ reconnects
 * by itself when the CA restarts, retrying every 100 ms to 500 ms; a PUB socket drops what it publishes
 * while no subscriber is connected, so events of that short window after a CA restart are lost. The CA's
 * heartbeat ({@code state}, once a second when idle) covers them: it says whether a revocation is not in
 * the current CRL yet, and which CRL is current.
 */
public final class CaEventListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaEventListener.class);

    private final String endpoint;
    private final CrlRefresher refresher;
    private final WireCodec codec;
    private final CaCurve curve;
    private final ZContext context = new ZContext(1);
    private volatile boolean running = true;
    private Thread thread;

    public CaEventListener(String endpoint, CrlRefresher refresher, WireCodec codec) {
        this(endpoint, refresher, codec, CaCurve.NONE);
    }

    /** @param curve CURVE settings: a CURVE CA's feed admits only operator and crl-publisher keys */
    public CaEventListener(String endpoint, CrlRefresher refresher, WireCodec codec, CaCurve curve) {
        this.curve = curve;
        this.endpoint = endpoint;
        this.refresher = refresher;
        this.codec = codec;
    }

    public void start() {
        thread = new Thread(this::run, "ca-event-listener");
        thread.setDaemon(true);
        thread.start();
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
        for (String feed : endpoint.split(",")) {
            sub.connect(feed.strip()); // an active/standby pair: both feeds, only the active CA publishes
        }
        try {
            while (running) {
                byte[] frame = sub.recv();
                if (frame == null) {
                    continue;
                }
                try {
                    CaEvent event = codec.fromBytes(frame, CaEvent.class);
                    switch (event.event()) {
                        case CaEvent.REVOKED, CaEvent.UNREVOKED -> refresher.revocationAnnounced();
                        case CaEvent.CRL -> refresher.crlAnnounced(event.number());
                        case CaEvent.STATE -> {
                            // The heartbeat: catch up with whatever this subscription missed.
                            if (Boolean.TRUE.equals(event.stale())) {
                                refresher.revocationAnnounced();
                            } else if (event.number() != null) {
                                refresher.crlAnnounced(event.number());
                            }
                        }
                        default -> LOG.debug("ignoring CA event {}", event.event());
                    }
                } catch (CaProtocolException e) {
                    LOG.warn("ignoring a malformed CA event: {}", e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("CA event listener stopped", e);
            }
        } finally {
            context.destroySocket(sub);
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        context.close();
    }
}
