package io.upki.pki.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for the request header, which Jetty's idle timeout alone does not give: a client that
 * sends one byte every few seconds is never idle, and would keep its connection (and the buffer its
 * header fills) for as long as it likes. Once a second the open connections are swept, and one is
 * closed when its TLS handshake and first request header took longer than the deadline, or when a
 * later request's header started longer ago than that and is still not complete. A connection between
 * requests is left to the idle timeout.
 */
public final class ConnectionDeadlines extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionDeadlines.class);
    private static final long SWEEP_MILLIS = 1000;
    private final AbstractConnector connector;
    private final long headerNanos;
    /** What the previous sweep saw of each connection: a verdict needs the same view twice (no racy single reads). */
    private final Map<HttpConnection, Seen> open = new ConcurrentHashMap<>();
    private final LongAdder closed = new LongAdder();
    private volatile Scheduler.Task sweep;

    private record Seen(long messages, long begin) {
    }

    private static final Seen NOTHING = new Seen(-1, 0);

    private ConnectionDeadlines(AbstractConnector connector, Duration header) {
        this.connector = connector;
        this.headerNanos = header.toNanos();
    }

    /**
     * Sets the connector's idle timeout and adds the header deadline to it.
     *
     * @param idle how long a connection may stay silent (between requests, or mid-request)
     * @param header how long a request header (the first one including the TLS handshake) may take
     */
    public static <C extends AbstractConnector> C install(C connector, Duration idle, Duration header) {
        connector.setIdleTimeout(idle.toMillis());
        connector.addEventListener(new ConnectionDeadlines(connector, header));
        return connector;
    }

    /** Connections closed for a header past its deadline since the start. */
    public long closedCount() {
        return closed.sum();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        schedule();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
        open.clear();
        super.doStop();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, NOTHING);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.remove(http);
        }
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            sweep = connector.getScheduler().schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Map.Entry<HttpConnection, Seen> e : open.entrySet()) {
                HttpConnection c = e.getKey();
                Seen seen = look(c);
                if (late(c, seen, e.getValue(), now)) {
                    closed.increment();
                    LOG.debug("closing {}: request header not complete within {} ms", c.getEndPoint().getRemoteSocketAddress(),
                            TimeUnit.NANOSECONDS.toMillis(headerNanos));
                    c.getEndPoint().close();
                    open.remove(c);
                } else {
                    open.replace(c, e.getValue(), seen);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("header deadline sweep failed", e);
        } finally {
            schedule();
        }
    }

    /** Requests begun, and when the one being parsed started (0 between requests). */
    private static Seen look(HttpConnection c) {
        HttpParser parser = c.getParser();
        boolean inHeader = parser.inHeaderState() && !parser.isStart();
        return new Seen(c.getMessagesIn(), inHeader ? parser.getBeginNanoTime() : 0);
    }

    private boolean late(HttpConnection c, Seen seen, Seen before, long now) {
        if (!seen.equals(before)) {
            return false;
        }
        if (seen.messages() == 0) {
            // The TLS handshake and the first header, counted from the accept: a client that connects sends at once.
            return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - c.getCreatedTimeStamp()) > headerNanos;
        }
        return seen.begin() != 0 && now - seen.begin() > headerNanos;
    }
}
