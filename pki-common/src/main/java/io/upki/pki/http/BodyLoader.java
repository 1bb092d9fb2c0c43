package io.upki.pki.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's whole body before the application sees the request, without holding a thread
 * while it arrives. The application reads bodies blocking (Javalin), so a client sending its body a
 * byte at a time used to hold a worker thread for as long as it liked: a few hundred such clients
 * held them all, and the server stopped answering anyone. Here a body that is not there at once is
 * read as it arrives (Jetty calls back when bytes come; no thread waits), within a total deadline
 * (then 408), up to a size (then 413), and with at most {@code maxWaiting} bodies outstanding at once
 * (then 503): memory stays bounded by {@code maxWaiting} times the size. The application then reads
 * the body from memory. A body over the size is read and dropped up to {@link #DRAIN_BYTES} more before
 * the 413 is sent: closing a connection with unread bytes makes TCP reset it, and a client still sending
 * then loses the answer ("header parser received no bytes") instead of reading why it was refused.
 */
public final class BodyLoader extends Handler.Wrapper {
    /** How much of an oversized body is read and dropped so that its refusal reaches the client. */
    public static final int DRAIN_BYTES = 1024 * 1024;
    private static final String TOO_LARGE = "body_too_large";

    private final int maxBody;
    private final long deadlineNanos;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    /**
     * @param maxBody the largest body in bytes (413 beyond)
     * @param deadline how long a body may take to arrive, from the end of the header (408 beyond)
     * @param maxWaiting how many bodies may be arriving at once (503 beyond)
     */
    public BodyLoader(int maxBody, Duration deadline, int maxWaiting) {
        this.maxBody = maxBody;
        this.deadlineNanos = deadline.toNanos();
        this.maxWaiting = maxWaiting;
    }

    /** Bodies now arriving. */
    public int waiting() {
        return waiting.get();
    }

    /** Requests refused for a body too slow, too large, or one too many. */
    public long refusedCount() {
        return refused.sum();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long length = request.getLength();
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (length <= 0 && !chunked) {
            return super.handle(request, response, callback);
        }
        Load load = new Load(request, response, callback, length);
        if (length > (long) maxBody + DRAIN_BYTES) {
            load.tooLarge();
        } else {
            load.read(false);
        }
        return true;
    }

    /** One body being read; called back by Jetty when more of it arrives. */
    private final class Load implements Invocable.Task {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final long start = System.nanoTime();
        private final AtomicBoolean finished = new AtomicBoolean();
        private byte[] body;
        private int size;
        private long dropped;
        private boolean counted;
        private Scheduler.Task timer;

        Load(Request request, Response response, Callback callback, long length) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.body = new byte[(int) Math.min(length > 0 ? length : 4096, Math.min(maxBody, 8192))];
        }

        @Override
        public void run() {
            read(true);
        }

        @Override
        public InvocationType getInvocationType() {
            // Copies what arrived, never blocks: Jetty may call it on the selector thread.
            return InvocationType.NON_BLOCKING;
        }

        void read(boolean calledBack) {
            while (!finished.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    if (startWaiting()) {
                        request.demand(this);
                    }
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    fail(chunk.getFailure());
                    return;
                }
                boolean last = chunk.isLast();
                boolean fits = copy(chunk.getByteBuffer());
                chunk.release();
                if (!fits && (last || dropped > DRAIN_BYTES)) {
                    tooLarge();
                    return;
                }
                if (last) {
                    loaded(calledBack);
                    return;
                }
            }
        }

        /** Keeps {@code data} while the body fits, else drops it and counts it; false once it does not fit. */
        private boolean copy(ByteBuffer data) {
            int n = data.remaining();
            if (dropped > 0 || size + n > maxBody) {
                dropped += n;
                data.position(data.limit());
                return false;
            }
            if (size + n > body.length) {
                body = Arrays.copyOf(body, Math.min(maxBody, Math.max(size + n, body.length * 2)));
            }
            data.get(body, size, n);
            size += n;
            return true;
        }

        /** The first wait takes a slot and starts the deadline; false when refused. */
        private boolean startWaiting() {
            if (counted) {
                return true;
            }
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                refuse(HttpStatus.SERVICE_UNAVAILABLE_503, "too_many_slow_requests",
                        "too many requests are still sending their bodies; try again");
                return false;
            }
            counted = true;
            long left = Math.max(1, deadlineNanos - (System.nanoTime() - start));
            timer = request.getComponents().getScheduler().schedule(() -> refuse(HttpStatus.REQUEST_TIMEOUT_408,
                    "body_timeout", "the request body did not arrive within "
                            + TimeUnit.NANOSECONDS.toSeconds(deadlineNanos) + " s"), left, TimeUnit.NANOSECONDS);
            return true;
        }

        /** Ends the wait once: the slot back, the deadline off. */
        private boolean finish() {
            if (!finished.compareAndSet(false, true)) {
                return false;
            }
            if (counted) {
                waiting.decrementAndGet();
            }
            if (timer != null) {
                timer.cancel();
            }
            return true;
        }

        private void loaded(boolean calledBack) {
            if (!finish()) {
                return;
            }
            Request loaded = new Loaded(request, ByteBuffer.wrap(body, 0, size));
            if (calledBack) {
                // Perhaps on the selector thread: the application blocks, so it runs on a worker.
                request.getContext().execute(() -> handleLoaded(loaded));
            } else {
                handleLoaded(loaded);
            }
        }

        private void handleLoaded(Request loaded) {
            try {
                if (!BodyLoader.this.getHandler().handle(loaded, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable t) {
                Response.writeError(request, response, callback, t);
            }
        }

        private void fail(Throwable failure) {
            if (finish()) {
                refused.increment();
                Response.writeError(request, response, callback, failure);
            }
        }

        void tooLarge() {
            refuse(HttpStatus.PAYLOAD_TOO_LARGE_413, TOO_LARGE, "the request body is over " + maxBody + " bytes");
        }

        void refuse(int status, String reason, String message) {
            if (!finish()) {
                return;
            }
            refused.increment();
            // The rest of the body may be unread: the connection cannot carry another request.
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            String json = "{\"status\":\"error\",\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}";
            response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
        }
    }

    /** The request with its body already in memory. */
    private static final class Loaded extends Request.Wrapper {
        private Content.Chunk body;

        Loaded(Request request, ByteBuffer body) {
            super(request);
            this.body = Content.Chunk.from(body, true);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = body;
            if (chunk == null) {
                return super.read();
            }
            body = null;
            return chunk;
        }
    }
}
