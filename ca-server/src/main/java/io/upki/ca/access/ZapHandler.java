package io.upki.ca.access;

import io.upki.ca.audit.AuditLog;
import io.upki.pki.process.DaemonThreads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * The ZAP handler (ZeroMQ RFC 27) of the CA's context: every CURVE handshake on the CA's ports asks it
 * whether the client's public key may connect. Known keys may connect anywhere their role has a use;
 * an unknown key may connect to the registration port only, where the seed authenticates it. The
 * reply's User-Id is the key itself, which every request then carries as connection metadata.
 *
 * <p>It must be bound before any CURVE socket: JeroMQ lets every client in when no handler listens.
 */
public final class ZapHandler implements AutoCloseable {
    /** ZAP domains: each CA socket names its port so the handler can tell them apart. */
    public static final String OPERATIONS = "upki-operations";
    public static final String REGISTRATION = "upki-registration";
    public static final String EVENTS = "upki-events";

    private static final String ENDPOINT = "inproc://zeromq.zap.01";
    private static final Logger LOG = LoggerFactory.getLogger(ZapHandler.class);

    private final ZContext context;
    private final ClientRegistry registry;
    private final AuditLog audit;
    private final CompletableFuture<Void> bound = new CompletableFuture<>();
    private volatile boolean running = true;
    private Thread thread;

    public ZapHandler(ZContext context, ClientRegistry registry, AuditLog audit) {
        this.context = context;
        this.registry = registry;
        this.audit = audit;
    }

    /** Binds the handler; returns once handshakes are checked. */
    public void start() {
        thread = DaemonThreads.start("ca-zap", this::serve);
        CaSockets.awaitBound(bound, "cannot start the ZAP handler", "timed out starting the ZAP handler");
    }

    private void serve() {
        ZMQ.Socket socket;
        try {
            socket = context.createSocket(SocketType.REP);
            socket.setLinger(0);
            socket.setReceiveTimeOut(200);
            socket.bind(ENDPOINT);
            bound.complete(null);
        } catch (RuntimeException e) {
            bound.completeExceptionally(e);
            return;
        }
        try {
            while (running) {
                ZMsg request = ZMsg.recvMsg(socket, 0);
                if (request == null) {
                    continue; // receive timeout: look at the running flag again
                }
                reply(request).send(socket);
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("ZAP handler stopped; CURVE handshakes will fail until restart", e);
            }
        } finally {
            context.destroySocket(socket);
        }
    }

    /** RFC 27 section 2.3: version, request id, domain, address, identity, mechanism, credentials. */
    ZMsg reply(ZMsg request) {
        String version = request.popString();
        String requestId = request.popString();
        String domain = request.popString();
        String address = request.popString();
        request.pop(); // routing identity: unused
        String mechanism = request.popString();
        byte[] credential = request.size() > 0 ? request.pop().getData() : null;
        ZMsg reply = new ZMsg();
        reply.add(version == null ? "1.0" : version);
        reply.add(requestId == null ? "" : requestId);
        if (!"CURVE".equals(mechanism) || credential == null || credential.length != ZMQ.Curve.KEY_SIZE) {
            return deny(reply, domain, address, "?", "CURVE required");
        }
        String key = ZMQ.Curve.z85Encode(credential);
        var role = registry.role(key);
        boolean allowed = switch (domain == null ? "" : domain) {
            case REGISTRATION -> true; // register/status/enrol: the seed authenticates, not the key
            case OPERATIONS -> role.isPresent();
            case EVENTS -> role.isPresent() && Permissions.receivesEvents(role.get());
            default -> false;
        };
        if (!allowed) {
            return deny(reply, domain, address, key, role.isPresent() ? "role" : "unknown-key");
        }
        reply.add("200");
        reply.add("OK");
        reply.add(key.getBytes(StandardCharsets.US_ASCII)); // User-Id: the requests' metadata carries it
        reply.add(new byte[0]);
        return reply;
    }

    private ZMsg deny(ZMsg reply, String domain, String address, String key, String reason) {
        audit.record("handshake", "refused", "port", domain, "peer", address, "key", key, "reason", reason);
        reply.add("400");
        reply.add("Client key not allowed");
        reply.add("");
        reply.add(new byte[0]);
        return reply;
    }

    @Override
    public void close() {
        running = false;
        DaemonThreads.join(thread, Duration.ofSeconds(2));
    }
}
