package io.upki.publisher.fetch;

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
 * by itself when the CA restarts, but a PUB socket drops what it publishes while no subscriber is
 * connected: so every (re)connection triggers a catch-up CRL, which covers any revocation announced
 * while the feed was down.
 */
public final class CaEventListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaEventListener.class);

    private final String endpoint;
    private final CrlRefresher refresher;
    private final WireCodec codec;
    private final ZContext context = new ZContext(1);
    private volatile boolean running = true;
    private Thread thread;

    public CaEventListener(String endpoint, CrlRefresher refresher, WireCodec codec) {
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
        sub.setReconnectIVL(200);
        sub.setReconnectIVLMax(2000);
        sub.setMaxMsgSize(64 * 1024);
        sub.subscribe(new byte[0]);
        String monitorAddress = "inproc://ca-events-monitor-" + System.identityHashCode(this);
        sub.monitor(monitorAddress, ZMQ.EVENT_CONNECTED);
        ZMQ.Socket monitor = context.createSocket(SocketType.PAIR);
        monitor.connect(monitorAddress);
        sub.connect(endpoint);
        try (ZMQ.Poller poller = context.createPoller(2)) {
            int subIndex = poller.register(sub, ZMQ.Poller.POLLIN);
            int monitorIndex = poller.register(monitor, ZMQ.Poller.POLLIN);
            while (running) {
                poller.poll(500);
                if (poller.pollin(monitorIndex)) {
                    ZMQ.Event event = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT);
                    if (event != null && event.getEvent() == ZMQ.EVENT_CONNECTED) {
                        LOG.info("connected to the CA event feed {}: making a catch-up CRL", endpoint);
                        refresher.revocationAnnounced();
                    }
                }
                if (poller.pollin(subIndex)) {
                    byte[] frame;
                    while ((frame = sub.recv(ZMQ.DONTWAIT)) != null) {
                        dispatch(frame);
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("CA event listener stopped", e);
            }
        } finally {
            context.destroySocket(monitor);
            context.destroySocket(sub);
        }
    }

    private void dispatch(byte[] frame) {
        try {
            CaEvent event = codec.fromBytes(frame, CaEvent.class);
            switch (event.event()) {
                case CaEvent.REVOKED, CaEvent.UNREVOKED -> refresher.revocationAnnounced();
                case CaEvent.CRL -> refresher.crlAnnounced(event.number());
                default -> LOG.debug("ignoring CA event {}", event.event());
            }
        } catch (CaProtocolException e) {
            LOG.warn("ignoring a malformed CA event: {}", e.getMessage());
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
