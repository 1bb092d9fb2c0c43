package io.upki.pki.caclient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The REQ sockets of a {@link ZmqCaClient}: one request and reply per borrowed socket, idle sockets
 * kept per endpoint, and a socket that missed its reply closed rather than reused.
 *
 * <p>A REQ socket that missed its reply is stuck in the wrong state, and the late reply must not be read
 * as the answer to the next request: hence a timed-out socket is never returned to the pool.
 */
final class ReqSocketPool implements AutoCloseable {
    /** Sent nowhere: no connection to the endpoint was up (only with {@code connectWait} > 0). */
    static final byte[] NOT_SENT = new byte[0];

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final AtomicLong MONITORS = new AtomicLong();

    private final ZContext context;
    private final CaSocketSecurity security;
    private final Map<String, ConcurrentLinkedQueue<ZMQ.Socket>> idle = new ConcurrentHashMap<>();
    /** Pair mode: each socket's monitor, which reports the connection closing while a reply is awaited. */
    private final Map<ZMQ.Socket, ZMQ.Socket> monitors = new ConcurrentHashMap<>();
    /** Pair mode: sockets whose monitor has reported a TCP connection. */
    private final Set<ZMQ.Socket> connected = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Exchanges under way: close() lets them end (briefly) before it closes their sockets under them. */
    private final AtomicInteger inFlight = new AtomicInteger();

    ReqSocketPool(CaSocketSecurity security) {
        this.security = security;
        this.context = ZmqContexts.open("ca-client");
        this.context.setLinger(0);
    }

    /**
     * Sends one frame and waits for the reply; null on timeout (the socket is then discarded).
     *
     * @param connectWait above zero: the socket queues only on a completed connection, and the frame
     *     is given up ({@link #NOT_SENT}) when none is up within this many milliseconds
     */
    byte[] exchange(String target, byte[] request, Duration timeout, int connectWait) {
        if (closed) {
            throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null, "CA client is closed");
        }
        inFlight.incrementAndGet();
        ZMQ.Socket socket;
        try {
            socket = borrow(target, timeout, connectWait > 0);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
        boolean healthy = false;
        try {
            if (connectWait > 0) {
                if (!sendWhenConnected(socket, monitors.get(socket), request, connectWait)) {
                    return NOT_SENT;
                }
            } else if (!socket.send(request, 0)) {
                return null;
            }
            ZMQ.Socket monitor = monitors.get(socket);
            // A receive timeout rather than a poller: a poller opens a selector (and its pipe) per call.
            byte[] reply = monitor == null ? receive(socket, timeout)
                    : receiveUnlessGone(socket, monitor, target, timeout);
            if (reply == null) {
                return null;
            }
            // Drain any unexpected extra frames so the socket stays usable.
            while (socket.hasReceiveMore()) {
                socket.recv(0);
            }
            healthy = true;
            return reply;
        } finally {
            if (healthy && !closed) {
                idle.computeIfAbsent(target, t -> new ConcurrentLinkedQueue<>()).add(socket);
            } else {
                destroy(socket);
            }
            inFlight.decrementAndGet();
        }
    }

    private static byte[] receive(ZMQ.Socket socket, Duration timeout) {
        socket.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
        return socket.recv(0);
    }

    /**
     * Waits for the reply in short slices and gives up as soon as the CA is gone: the connection the
     * request went out on closed and a new TCP connection to the endpoint is refused. A CA killed
     * mid-task then costs the caller a moment instead of the whole timeout (the outcome is still
     * unknown). A connection dropped while the CA still listens (a stalled handshake redone, jeromq#1022)
     * is waited out as before. Closing this client ends the wait too.
     */
    private byte[] receiveUnlessGone(ZMQ.Socket socket, ZMQ.Socket monitor, String target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        socket.setReceiveTimeOut(50);
        while (true) {
            byte[] reply = socket.recv(0);
            if (reply != null) {
                return reply;
            }
            if (closed || System.nanoTime() - deadline >= 0) {
                return null; // closing: the caller's answer is unknown either way
            }
            ZMQ.Event event = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT);
            if (event != null && event.getEvent() == ZMQ.EVENT_DISCONNECTED && !listening(target)) {
                return null;
            }
        }
    }

    /** Whether something accepts TCP connections at a {@code tcp://host:port} endpoint (200 ms at most). */
    static boolean listening(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 200);
                return true;
            }
        } catch (IllegalArgumentException e) {
            return true; // not a tcp://host:port endpoint: keep the plain timeout
        } catch (IOException e) {
            return false;
        }
    }

    private static void drain(ZMQ.Socket monitor) {
        if (monitor != null) {
            while (ZMQ.Event.recv(monitor, ZMQ.DONTWAIT) != null) {
                // stale: see sendWhenConnected
            }
        }
    }

    private void destroy(ZMQ.Socket socket) {
        connected.remove(socket);
        ZMQ.Socket monitor = monitors.remove(socket);
        context.destroySocket(socket);
        if (monitor != null) {
            context.destroySocket(monitor);
        }
    }

    /**
     * Sends once the socket has a TCP connection (its monitor said so), so that a request is never left
     * queued towards a CA that is not there: false, and nothing sent, when none came up in time.
     */
    private boolean sendWhenConnected(ZMQ.Socket socket, ZMQ.Socket monitor, byte[] request, int waitMillis) {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (!connected.contains(socket)) {
            ZMQ.Event event = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT);
            if (event != null) {
                if (event.getEvent() == ZMQ.EVENT_CONNECTED) {
                    connected.add(socket);
                }
                continue;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        // Disconnects so far are of earlier connections (a stalled handshake that was redone): only one
        // after this send can mean that its reply will not come.
        drain(monitor);
        return socket.send(request, 0);
    }

    /** Whether a pooled socket's last connection event is a disconnect (its CA stopped or died since). */
    private boolean lostConnection(ZMQ.Socket socket) {
        ZMQ.Socket monitor = monitors.get(socket);
        if (monitor == null) {
            return false;
        }
        boolean lost = false;
        ZMQ.Event event;
        while ((event = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT)) != null) {
            lost = event.getEvent() == ZMQ.EVENT_DISCONNECTED;
        }
        return lost;
    }

    private ZMQ.Socket borrow(String target, Duration timeout, boolean monitored) {
        ConcurrentLinkedQueue<ZMQ.Socket> pool = idle.get(target);
        ZMQ.Socket socket;
        while ((socket = pool == null ? null : pool.poll()) != null) {
            if (!lostConnection(socket)) {
                return socket;
            }
            destroy(socket); // its CA went away since the last reply: start afresh
        }
        ZMQ.Socket fresh = context.createSocket(SocketType.REQ);
        fresh.setLinger(0);
        fresh.setReconnectIVL(100);
        fresh.setReconnectIVLMax(2000);
        security.configure(fresh, timeout);
        if (monitored) {
            String address = "inproc://ca-client-monitor-" + MONITORS.incrementAndGet();
            fresh.monitor(address, ZMQ.EVENT_CONNECTED | ZMQ.EVENT_DISCONNECTED);
            ZMQ.Socket monitor = context.createSocket(SocketType.PAIR);
            monitor.setLinger(0);
            monitor.connect(address);
            monitors.put(fresh, monitor);
        }
        fresh.connect(target);
        return fresh;
    }

    @Override
    public void close() {
        closed = true;
        // A socket closed by the context while its thread waits in recv() fails that thread with ETERM
        // and JeroMQ's I/O thread with ClosedChannelException: give exchanges a moment to end first.
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (ConcurrentLinkedQueue<ZMQ.Socket> pool : idle.values()) {
            ZMQ.Socket s;
            while ((s = pool.poll()) != null) {
                destroy(s);
            }
        }
        context.close();
    }
}
