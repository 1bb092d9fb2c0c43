package io.upki.ca.events;

import io.upki.ca.access.CaSockets;
import io.upki.pki.caclient.CurveKeys;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.wire.CaEvent;
import io.upki.pki.wire.WireCodec;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Publishes {@link CaEvent}s on a ZeroMQ PUB socket. Workers call {@link #publish} after their change
 * is durable; one thread owns the socket (ZeroMQ sockets are single-threaded). Slow subscribers lose
 * messages beyond the high-water mark rather than slowing the CA: events are hints. When nothing was
 * published for a heartbeat interval, the heartbeat's current event goes out, so a subscriber that missed
 * an event (it connected late: ZeroMQ PUB drops messages while no subscriber is connected) catches up.
 */
public final class EventFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    private static final CaEvent STOP = new CaEvent("stop", null, null, null, null);

    private final ZContext context;
    private final String endpoint;
    private final WireCodec codec;
    private final BlockingQueue<CaEvent> queue = new LinkedBlockingQueue<>(100_000);
    private final Supplier<CaEvent> heartbeat;
    private final Duration heartbeatEvery;
    private final CompletableFuture<Integer> bound = new CompletableFuture<>();
    private CurveKeys curve;
    private String zapDomain;
    private Thread thread;

    /**
     * @param heartbeat the event to repeat when the feed is idle (read on the feed's thread)
     * @param heartbeatEvery how long the feed may stay silent
     */
    public EventFeed(ZContext context, String endpoint, WireCodec codec, Supplier<CaEvent> heartbeat,
                     Duration heartbeatEvery) {
        this.context = context;
        this.endpoint = endpoint;
        this.codec = codec;
        this.heartbeat = heartbeat;
        this.heartbeatEvery = heartbeatEvery;
    }

    /**
     * Makes the feed a CURVE server (RFC 26): only subscribers the ZAP handler admits for
     * {@code zapDomain} connect. Call before {@link #start}.
     */
    public EventFeed curve(CurveKeys keys, String domain) {
        this.curve = keys;
        this.zapDomain = domain;
        return this;
    }

    /** Binds the PUB socket; returns the port. */
    public int start() {
        thread = DaemonThreads.start("ca-events", this::run);
        return CaSockets.awaitBound(bound, "cannot publish events on " + endpoint, "timed out binding " + endpoint);
    }

    /** Queues an event; never blocks a worker (a full queue drops it, with a warning). */
    public void publish(CaEvent event) {
        if (!queue.offer(event)) {
            LOG.warn("event queue full, dropping {}", event.event());
        }
    }

    private void run() {
        ZMQ.Socket pub;
        try {
            pub = context.createSocket(SocketType.PUB);
            pub.setLinger(0);
            pub.setSndHWM(10_000);
            bound.complete(CaSockets.bind(pub, curve, zapDomain, endpoint));
        } catch (RuntimeException e) {
            bound.completeExceptionally(e);
            return;
        }
        try {
            long nextBeat = System.nanoTime() + heartbeatEvery.toNanos();
            while (true) {
                CaEvent event = queue.poll(Math.max(0, nextBeat - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == STOP) {
                    break;
                }
                if (event == null) {
                    event = heartbeat.get();
                }
                pub.send(codec.toBytes(event), ZMQ.DONTWAIT);
                nextBeat = System.nanoTime() + heartbeatEvery.toNanos();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            context.destroySocket(pub);
        }
    }

    @Override
    public void close() {
        queue.offer(STOP);
        DaemonThreads.join(thread, Duration.ofSeconds(2));
    }
}
