package io.upki.ca.wire;

import io.upki.ca.access.AccessPolicy;
import io.upki.ca.access.Caller;
import io.upki.ca.access.CaSockets;
import io.upki.ca.audit.AuditLog;
import io.upki.pki.caclient.CurveKeys;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;
import zmq.Msg;
import zmq.io.Metadata;

/**
 * One listening port: a ROUTER socket (compatible with uPKI clients' REQ sockets) read by one thread,
 * which hands each request to a worker lane. Workers send their replies back through an inproc PUSH
 * socket each, since a ZeroMQ socket must only be used by one thread.
 *
 * <p>Every request is answered: frames that are malformed, oversized, or arrive while the lanes are
 * full get an {@code UPKI ERROR}. Requests up to {@link #MAX_REQUEST_BYTES} are read and answered;
 * a frame above {@link #HARD_LIMIT_BYTES} makes ZeroMQ drop the connection before it is buffered.
 *
 * <p>With CURVE (RFC 26) the socket is a CURVE server: only clients whose handshake the ZAP handler
 * accepted can send anything, and each request carries its connection's {@code User-Id} (the client's
 * public key), from which the caller's role is looked up per request.
 */
public final class ZmqFrontend implements AutoCloseable {
    /** The largest request that is processed (a CSR or PEM is a few KiB). */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;
    /** Above this ZeroMQ disconnects the peer instead of buffering the frame in memory. */
    public static final long HARD_LIMIT_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ZmqFrontend.class);

    private final ZContext context;
    private final String endpoint;
    private final TaskRouter router;
    private final Lanes lanes;
    private final CurveKeys curve;
    private final String zapDomain;
    private final AccessPolicy access;
    private final String replyEndpoint = "inproc://ca-replies-" + UUID.randomUUID();
    private final List<ZMQ.Socket> workerSockets = new ArrayList<>();
    private final ThreadLocal<ZMQ.Socket> workerSocket = new ThreadLocal<>();
    private final CompletableFuture<Integer> bound = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile boolean accepting = true;
    private Thread thread;

    public ZmqFrontend(ZContext context, String endpoint, TaskRouter router, Lanes lanes) {
        this(context, endpoint, router, lanes, null, null, null);
    }

    /**
     * @param curve the CA's CURVE key pair, or null for uPKI's plain protocol
     * @param zapDomain the ZAP domain naming this port (see io.upki.ca.access.ZapHandler)
     * @param access identifies each request's caller; null with {@code curve} null
     */
    public ZmqFrontend(ZContext context, String endpoint, TaskRouter router, Lanes lanes, CurveKeys curve,
                       String zapDomain, AccessPolicy access) {
        if (curve != null && (zapDomain == null || access == null)) {
            throw new IllegalArgumentException("a CURVE frontend needs a ZAP domain and an access policy");
        }
        this.context = context;
        this.endpoint = endpoint;
        this.router = router;
        this.lanes = lanes;
        this.curve = curve;
        this.zapDomain = zapDomain;
        this.access = access;
    }

    /**
     * Binds and starts serving.
     *
     * @return the bound TCP port (useful with port 0 / {@code *})
     * @throws IllegalStateException when the address cannot be bound
     */
    public int start() {
        thread = new Thread(this::serve, "ca-frontend-" + endpoint);
        thread.start();
        return CaSockets.awaitBound(bound, "cannot listen on " + endpoint, "timed out binding " + endpoint);
    }

    private void serve() {
        ZMQ.Socket front;
        ZMQ.Socket replies;
        try {
            front = context.createSocket(SocketType.ROUTER);
            front.setLinger(0);
            front.setMaxMsgSize(HARD_LIMIT_BYTES);
            front.setSndHWM(10_000);
            front.setRcvHWM(10_000);
            int port = CaSockets.bind(front, curve, zapDomain, endpoint);
            replies = context.createSocket(SocketType.PULL);
            replies.setLinger(0);
            replies.bind(replyEndpoint);
            bound.complete(port);
        } catch (RuntimeException e) {
            bound.completeExceptionally(e);
            return;
        }
        try (ZMQ.Poller poller = context.createPoller(2)) {
            int frontIndex = poller.register(front, ZMQ.Poller.POLLIN);
            int replyIndex = poller.register(replies, ZMQ.Poller.POLLIN);
            while (running) {
                if (poller.poll(100) < 0) {
                    break;
                }
                if (poller.pollin(replyIndex)) {
                    ZMsg reply;
                    while ((reply = ZMsg.recvMsg(replies, ZMQ.DONTWAIT)) != null) {
                        reply.send(front);
                    }
                }
                if (accepting && poller.pollin(frontIndex)) {
                    Request request;
                    while (accepting && (request = receive(front)) != null) {
                        try {
                            accept(request.frames(), request.userId(), front);
                        } catch (RuntimeException | StackOverflowError e) {
                            // One bad request must never silence the port: log it and keep serving.
                            LOG.error("frontend {} could not route a request", endpoint, e);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("frontend {} stopped", endpoint, e);
        } finally {
            context.destroySocket(front);
            context.destroySocket(replies);
        }
    }

    /** A request's frames and the User-Id of the connection it came on (null without CURVE). */
    private record Request(ZMsg frames, String userId) {
    }

    /**
     * Reads one multipart request without waiting, keeping the connection metadata that ZMsg drops:
     * ZeroMQ attaches the ZAP handler's User-Id to every frame the peer sent (not to the identity
     * frame the ROUTER adds), so the last frame's metadata names the sender.
     */
    private static Request receive(ZMQ.Socket front) {
        Msg part = front.recvMsg(ZMQ.DONTWAIT);
        if (part == null) {
            return null;
        }
        ZMsg frames = new ZMsg();
        String userId = null;
        while (true) {
            frames.add(new ZFrame(part.data()));
            Metadata metadata = part.getMetadata();
            if (metadata != null && metadata.get(Metadata.USER_ID) != null) {
                userId = metadata.get(Metadata.USER_ID);
            }
            if (!part.hasMore()) {
                return new Request(frames, userId);
            }
            part = front.recvMsg(0); // the rest of a multipart message has arrived with its first part
        }
    }


    /** Routes one request; called on the frontend thread only, so it must not block. */
    private void accept(ZMsg request, String userId, ZMQ.Socket front) {
        ZFrame identity = request.pop();
        // A REQ peer puts an empty delimiter before the body; a DEALER peer may not.
        ZFrame delimiter = request.peekFirst() != null && request.peekFirst().size() == 0 ? request.pop() : null;
        if (identity == null) {
            return;
        }
        ZMsg envelope = new ZMsg();
        envelope.add(identity);
        if (delimiter != null) {
            envelope.add(delimiter);
        }
        if (request.size() != 1) {
            sendNow(front, envelope, router.error(new CaProtocolException(CaErrorCode.COMMUNICATION,
                    "Request must be exactly one frame, got " + request.size())));
            return;
        }
        byte[] body = request.pop().getData();
        if (body.length > MAX_REQUEST_BYTES) {
            sendNow(front, envelope, router.error(new CaProtocolException(CaErrorCode.COMMUNICATION,
                    "Request of " + body.length + " bytes exceeds the limit of " + MAX_REQUEST_BYTES + " bytes")));
            return;
        }
        Caller caller = curve == null ? Caller.PLAIN : access.identify(userId);
        TaskRouter.Decision decision = router.decide(body, caller);
        if (decision instanceof TaskRouter.Decision.Reply reply) {
            sendNow(front, envelope, reply.frame());
            return;
        }
        TaskRouter.Decision.Run run = (TaskRouter.Decision.Run) decision;
        try {
            lanes.submit(run.route().lane(), () -> {
                // Audit events name the caller: under CURVE its role and key, else its ZeroMQ connection.
                String who = caller.plain() ? "zmq:" + identity.strhex() : "curve:" + caller.describe();
                byte[] answer = AuditLog.actingAs(who, endpoint, () -> router.run(run));
                ZMsg out = envelope.duplicate();
                out.add(answer);
                out.send(replySocket());
            });
        } catch (RejectedExecutionException e) {
            sendNow(front, envelope, router.error(new CaProtocolException(CaErrorCode.COMMUNICATION,
                    "CA is busy, retry later")));
        }
    }

    private static void sendNow(ZMQ.Socket front, ZMsg envelope, byte[] reply) {
        envelope.add(reply);
        envelope.send(front);
    }

    /** The calling worker thread's own PUSH socket towards the frontend thread. */
    private ZMQ.Socket replySocket() {
        ZMQ.Socket socket = workerSocket.get();
        if (socket == null) {
            socket = context.createSocket(SocketType.PUSH);
            socket.setLinger(1000);
            socket.connect(replyEndpoint);
            workerSocket.set(socket);
            synchronized (workerSockets) {
                workerSockets.add(socket);
            }
        }
        return socket;
    }

    /** Stops reading new requests; replies of work in progress still go out. */
    public void stopAccepting() {
        accepting = false;
    }

    @Override
    public void close() {
        running = false;
        DaemonThreads.join(thread, Duration.ofSeconds(5));
        synchronized (workerSockets) {
            workerSockets.forEach(context::destroySocket);
            workerSockets.clear();
        }
    }
}
