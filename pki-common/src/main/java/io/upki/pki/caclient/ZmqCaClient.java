package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.CaReply;
import io.upki.pki.wire.CaRequest;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.time.Duration;
import java.util.Objects;
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
 */
public final class ZmqCaClient implements CaClient {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqCaClient.class);

    private final String endpoint;
    private final Function<CaTask, Duration> timeouts;
    private final int retries;
    private final WireCodec codec;
    private final ZContext context;
    private final CurveKeys curveKeys;
    private final byte[] serverKey;
    private final ConcurrentLinkedQueue<ZMQ.Socket> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

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
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
        this.retries = retries;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.context = new ZContext(1);
        this.context.setLinger(0);
    }

    /** A client with each task's default timeout and two retries for idempotent tasks. */
    public static ZmqCaClient withDefaults(String endpoint) {
        return new ZmqCaClient(endpoint, CaTask::defaultTimeout, 2, new WireCodec());
    }

    public String endpoint() {
        return endpoint;
    }

    /** True when this client authenticates with CURVE. */
    public boolean curve() {
        return curveKeys != null;
    }

    @Override
    public JsonNode call(CaTask task, ObjectNode params) {
        byte[] request = codec.encodeRequest(CaRequest.of(task, params));
        Duration timeout = timeouts.apply(task);
        int attempts = task.idempotent() ? retries + 1 : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            byte[] reply = exchange(request, timeout);
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

    /** Sends one frame and waits for the reply; null on timeout (the socket is then discarded). */
    private byte[] exchange(byte[] request, Duration timeout) {
        if (closed) {
            throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null, "CA client is closed");
        }
        ZMQ.Socket socket = borrow(timeout);
        boolean healthy = false;
        try {
            if (!socket.send(request, 0)) {
                return null;
            }
            // A receive timeout rather than a poller: a poller opens a selector (and its pipe) per call.
            socket.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            byte[] reply = socket.recv(0);
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
                idle.add(socket);
            } else {
                context.destroySocket(socket);
            }
        }
    }

    private ZMQ.Socket borrow(Duration timeout) {
        ZMQ.Socket socket = idle.poll();
        if (socket != null) {
            return socket;
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
        fresh.connect(endpoint);
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
        CaReply decoded;
        try {
            decoded = codec.decodeReply(reply);
        } catch (CaProtocolException e) {
            throw new CaClientException(CaClientException.Kind.PROTOCOL, null,
                    "CA at " + endpoint + " sent an invalid reply to " + task.wireName() + ": " + e.getMessage());
        }
        if (decoded instanceof CaReply.Answer answer) {
            return answer.data();
        }
        CaProtocolException error = CaProtocolException.fromReply((CaReply.Error) decoded);
        throw new CaClientException(CaClientException.Kind.REJECTED, error.code(), error.wireMessage());
    }

    @Override
    public void close() {
        closed = true;
        ZMQ.Socket s;
        while ((s = idle.poll()) != null) {
            context.destroySocket(s);
        }
        context.close();
    }
}
