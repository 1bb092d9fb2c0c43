package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.CaReply;
import io.upki.pki.wire.CaRequest;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.wire.CaErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A thread-safe {@link CaClient} over ZeroMQ REQ sockets, following the "lazy pirate" pattern.
 *
 * <p>Each call borrows an idle socket (or opens one), so concurrent callers do not queue behind a slow
 * task. A socket that timed out is closed, never reused: a REQ socket that missed its reply is stuck
 * in the wrong state, and the late reply must not be read as the answer to the next request.
 * Only idempotent tasks are retried; for the others the outcome is unknown and the caller is told so.
 *
 * <p>An endpoint may list an active/standby CA pair, {@code tcp://a:5000,tcp://b:5000}. The client then
 * sends to the CA that answered last and moves to the next one when a task certainly did not run there:
 * the CA answered {@code STANDBY}, or no TCP connection to it came up, so the request was never handed
 * to the socket (a socket's monitor reports its connections). A task that went out and met silence is retried on the
 * next CA only when it is idempotent; a {@code sign} or {@code revoke} may have run, so the caller is told
 * the outcome is unknown rather than risk doing it twice. Rounds repeat (100 ms apart) until the task's
 * timeout while every CA is standby, which is the moment of a takeover.
 */
public final class ZmqCaClient implements CaClient {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqCaClient.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final String endpoint;
    private final List<String> endpoints;
    /** The endpoint that answered last, tried first. */
    private volatile int preferred;
    private final Function<CaTask, Duration> timeouts;
    private final int retries;
    private final WireCodec codec;
    private final ZContext context;
    private final CurveKeys curveKeys;
    private final byte[] serverKey;
    private final Map<String, ConcurrentLinkedQueue<ZMQ.Socket>> idle = new ConcurrentHashMap<>();
    /** Pair mode: each socket's monitor, which reports the connection closing while a reply is awaited. */
    private final Map<ZMQ.Socket, ZMQ.Socket> monitors = new ConcurrentHashMap<>();
    /** Pair mode: sockets whose monitor has reported a TCP connection. */
    private final java.util.Set<ZMQ.Socket> connected = ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicLong MONITORS = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;
    /** Exchanges under way: close() lets them end (briefly) before it closes their sockets under them. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param endpoint such as {@code tcp://127.0.0.1:5000}
     * @param timeouts per-task reply timeout (see {@link CaTask#defaultTimeout()})
     * @param retries extra attempts for idempotent tasks after a timeout
     */
    public ZmqCaClient(String endpoint, Function<CaTask, Duration> timeouts, int retries, WireCodec codec) {
        this(endpoint, timeouts, retries, codec, null, null);
    }

    /**
     * A client that authenticates with CURVE (RFC 26) when {@code serverPublicKey} is given: every
     * connection is encrypted and the CA knows the caller by {@code clientKeys}' public key.
     *
     * @param clientKeys this client's key pair; required with {@code serverPublicKey}
     * @param serverPublicKey the CA's public key (Z85), or null for uPKI's plain protocol
     */
    public ZmqCaClient(String endpoint, Function<CaTask, Duration> timeouts, int retries, WireCodec codec,
                       CurveKeys clientKeys, String serverPublicKey) {
        if (serverPublicKey != null && clientKeys == null) {
            throw new IllegalArgumentException("a CA public key needs a client key pair");
        }
        this.curveKeys = serverPublicKey == null ? null : clientKeys;
        this.serverKey = serverPublicKey == null ? null
                : ZMQ.Curve.z85Decode(CurveKeys.checkKey(serverPublicKey, "CA public key"));
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.endpoints = parseEndpoints(endpoint);
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
        this.retries = retries;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.context = ZmqContexts.open("ca-client");
        this.context.setLinger(0);
    }

    /** A client with each task's default timeout and two retries for idempotent tasks. */
    public static ZmqCaClient withDefaults(String endpoint) {
        return new ZmqCaClient(endpoint, CaTask::defaultTimeout, 2, new WireCodec());
    }

    /** The endpoint as given: one, or a comma-separated list of an active/standby pair. */
    public String endpoint() {
        return endpoint;
    }

    /** The endpoints of {@link #endpoint()}, in the order given. */
    public List<String> endpoints() {
        return endpoints;
    }

    /**
     * Splits a comma-separated endpoint list.
     *
     * @throws IllegalArgumentException for an empty entry
     */
    public static List<String> parseEndpoints(String list) {
        List<String> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            String e = part.strip();
            if (e.isEmpty()) {
                throw new IllegalArgumentException("CA endpoint list '" + list + "' has an empty entry");
            }
            out.add(e);
        }
        return List.copyOf(out);
    }

    /** True when this client authenticates with CURVE. */
    public boolean curve() {
        return curveKeys != null;
    }

    @Override
    public JsonNode call(CaTask task, ObjectNode params) {
        byte[] request = codec.encodeRequest(CaRequest.of(task, params));
        Duration timeout = timeouts.apply(task);
        if (endpoints.size() > 1) {
            return callPair(task, request, timeout);
        }
        int attempts = task.idempotent() ? retries + 1 : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            byte[] reply = exchange(endpoint, request, timeout, 0);
            if (reply != null) {
                return unwrap(task, reply);
            }
            LOG.warn("CA at {} did not answer {} within {} ms (attempt {}/{})",
                    endpoint, task.wireName(), timeout.toMillis(), attempt, attempts);
        }
        String outcome = task.idempotent() ? "" : "; the task may or may not have been applied";
        if (curveKeys != null) {
            // A refused CURVE handshake looks like silence to a client (RFC 26 section 2.5 gives no reason).
            outcome += " (CURVE: is the CA public key right, and is this client's key "
                    + curveKeys.publicKey() + " known to the CA?)";
        }
        throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null,
                "CA at " + endpoint + " did not answer " + task.wireName() + " within "
                        + timeout.toMillis() + " ms" + outcome);
    }

    /** Sent nowhere: no connection to the endpoint was up (only with {@code connectWait} > 0). */
    private static final byte[] NOT_SENT = new byte[0];

    /**
     * The pair's failover loop (see the class comment).
     */
    private JsonNode callPair(CaTask task, byte[] request, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos() * (task.idempotent() ? retries + 1 : 1);
        int connectWait = curveKeys == null ? handshakeMillis(timeout) : curveHandshakeMillis(timeout);
        List<String> tried = new ArrayList<>();
        while (true) {
            int first = preferred;
            for (int i = 0; i < endpoints.size(); i++) {
                int index = (first + i) % endpoints.size();
                String target = endpoints.get(index);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Duration wait = Duration.ofNanos(Math.min(timeout.toNanos(), left));
                byte[] reply = exchange(target, request, wait, connectWait);
                if (reply == NOT_SENT) {
                    tried.add(target + " not connected");
                    continue; // certainly not executed
                }
                if (reply == null) {
                    tried.add(target + " silent");
                    preferred = (index + 1) % endpoints.size();
                    if (!task.idempotent()) {
                        throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null, "CA at " + target
                                + " did not answer " + task.wireName() + " within " + wait.toMillis()
                                + " ms; the task may or may not have been applied (not retried on another CA)");
                    }
                    continue;
                }
                CaReply decoded = decode(task, target, reply);
                if (decoded instanceof CaReply.Error error
                        && CaProtocolException.fromWireMessage(error.message()).code() == CaErrorCode.STANDBY) {
                    tried.add(target + " standby");
                    continue; // certainly not executed: the standby runs nothing
                }
                preferred = index;
                return result(decoded);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null, "no CA of " + endpoint
                        + " ran " + task.wireName() + " within " + timeout.toMillis() + " ms (last tries: "
                        + String.join(", ", tried.subList(Math.max(0, tried.size() - endpoints.size()), tried.size()))
                        + ")" + (task.idempotent() ? "" : "; the task was not applied"));
            }
            try {
                Thread.sleep(100); // every CA standby or unreachable: a takeover is under way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null, "interrupted");
            }
        }
    }

    /**
     * Sends one frame and waits for the reply; null on timeout (the socket is then discarded).
     *
     * @param connectWait above zero: the socket queues only on a completed connection, and the frame
     *     is given up ({@link #NOT_SENT}) when none is up within this many milliseconds
     */
    private byte[] exchange(String target, byte[] request, Duration timeout, int connectWait) {
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
            java.net.URI uri = java.net.URI.create(endpoint);
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 200);
                return true;
            }
        } catch (IllegalArgumentException e) {
            return true; // not a tcp://host:port endpoint: keep the plain timeout
        } catch (java.io.IOException e) {
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

    /** With ZMQ_IMMEDIATE a send fails at once while no connection is complete; retried until the wait ends. */
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
        fresh.setHandshakeIvl(curveKeys == null ? handshakeMillis(timeout) : curveHandshakeMillis(timeout));
        if (curveKeys != null) {
            fresh.setCurveServerKey(serverKey);
            fresh.setCurvePublicKey(curveKeys.publicBytes());
            fresh.setCurveSecretKey(curveKeys.secretBytes());
        }
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

    /**
     * A connecting JeroMQ socket now and then completes TCP but never sends its ZMTP greeting (a selector
     * race in jeromq's I/O thread, zeromq/jeromq#1022) and idles until the handshake timer, 30 s by default,
     * reconnects it; the queued request then goes out on the new connection. Keeping that timer well inside
     * the reply timeout turns the stall into a short delay instead of a lost call.
     */
    static int handshakeMillis(Duration timeout) {
        return (int) Math.min(1000, Math.max(100, timeout.toMillis() / 4));
    }

    /**
     * The CURVE handshake adds Curve25519 operations on both sides (RFC 26 section 2.4), in pure Java
     * (jnacl): before the JIT has compiled them, on a loaded machine, it was seen to take over a second.
     * A timer shorter than that would restart the handshake for ever, so CURVE gets up to half the reply
     * timeout (at most 5 s), never less than the plain protocol's timer.
     */
    static int curveHandshakeMillis(Duration timeout) {
        return (int) Math.max(handshakeMillis(timeout), Math.min(5000, timeout.toMillis() / 2));
    }

    private JsonNode unwrap(CaTask task, byte[] reply) {
        return result(decode(task, endpoint, reply));
    }

    private CaReply decode(CaTask task, String target, byte[] reply) {
        try {
            return codec.decodeReply(reply);
        } catch (CaProtocolException e) {
            throw new CaClientException(CaClientException.Kind.PROTOCOL, null,
                    "CA at " + target + " sent an invalid reply to " + task.wireName() + ": " + e.getMessage());
        }
    }

    private static JsonNode result(CaReply decoded) {
        if (decoded instanceof CaReply.Answer answer) {
            return answer.data();
        }
        CaProtocolException error = CaProtocolException.fromReply((CaReply.Error) decoded);
        throw new CaClientException(CaClientException.Kind.REJECTED, error.code(), error.wireMessage());
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
