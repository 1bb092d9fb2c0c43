package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.pki.wire.CaReply;
import io.upki.pki.wire.CaRequest;
import io.upki.pki.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A scripted CA on a raw ROUTER socket (REQ-compatible, like the real CA), bound to a free loopback port.
 * Its handler decides per request what to answer, how late, or not at all.
 */
final class FakeCa implements AutoCloseable {
    /** What to send back for one request, after {@code delay}. */
    record Reply(byte[] frame, Duration delay) {
        static Reply answer(JsonNode data) {
            return new Reply(CODEC.encodeReply(new CaReply.Answer(data)), Duration.ZERO);
        }

        static Reply error(String msg) {
            return new Reply(CODEC.encodeReply(new CaReply.Error(msg)), Duration.ZERO);
        }

        static Reply raw(String text) {
            return new Reply(text.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
        }

        Reply after(Duration d) {
            return new Reply(frame, d);
        }
    }

    /** Decides the reply to the {@code sequence}-th request (from 1); null means never answer. */
    @FunctionalInterface
    interface Handler {
        Reply handle(int sequence, CaRequest request);
    }

    private static final WireCodec CODEC = new WireCodec();

    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket router;
    private final int port;
    private final Handler handler;
    private final List<CaRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    FakeCa(Handler handler) {
        this.handler = handler;
        router = context.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.bind("tcp://127.0.0.1:*");
        String bound = router.getLastEndpoint();
        port = Integer.parseInt(bound.substring(bound.lastIndexOf(':') + 1));
        thread = new Thread(this::serve, "fake-ca-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    String endpoint() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Every request received so far, in arrival order. */
    List<CaRequest> received() {
        return List.copyOf(received);
    }

    /** Waits up to {@code max} for at least {@code count} requests; returns how many arrived. */
    int awaitReceived(int count, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return received.size();
    }

    private record Pending(ZMsg envelope, byte[] frame, long dueNanos) {
    }

    private void serve() {
        List<Pending> pending = new ArrayList<>();
        try (ZMQ.Poller poller = context.createPoller(1)) {
            poller.register(router, ZMQ.Poller.POLLIN);
            while (running) {
                poller.poll(5);
                if (poller.pollin(0)) {
                    ZMsg msg = ZMsg.recvMsg(router, ZMQ.DONTWAIT);
                    if (msg != null) {
                        ZFrame payload = msg.removeLast();
                        CaRequest request = CODEC.decodeRequest(payload.getData());
                        received.add(request);
                        Reply reply = handler.handle(sequence.incrementAndGet(), request);
                        if (reply != null) {
                            pending.add(new Pending(msg, reply.frame(), System.nanoTime() + reply.delay().toNanos()));
                        }
                    }
                }
                long now = System.nanoTime();
                for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                    Pending p = it.next();
                    if (now - p.dueNanos() >= 0) {
                        it.remove();
                        ZMsg out = p.envelope();
                        out.add(p.frame());
                        out.send(router);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            if (running) {
                failure = e;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
        context.close();
        if (failure != null) {
            throw new AssertionError("fake CA failed", failure);
        }
    }
}
