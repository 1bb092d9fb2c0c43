package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread-safe {@link CaClient} over ZeroMQ REQ sockets, following the "lazy pirate" pattern.
 *
 * <p>Each call borrows an idle socket (or opens one, see {@link ReqSocketPool}), so concurrent callers do
 * not queue behind a slow task. A socket that timed out is closed, never reused. Only idempotent tasks
 * are retried; for the others the outcome is unknown and the caller is told so.
 *
 * <p>An endpoint may list an active/standby CA pair, {@code tcp://a:5000,tcp://b:5000}: the client then
 * sends to the CA that answered last and moves to the next one only when that is safe
 * ({@link CaPairFailover}).
 */
public final class ZmqCaClient implements CaClient {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqCaClient.class);

    private final String endpoint;
    private final List<String> endpoints;
    private final Function<CaTask, Duration> timeouts;
    private final int retries;
    private final CaCallCodec codec;
    private final CaSocketSecurity security;
    private final ReqSocketPool sockets;
    /** Null for a single CA. */
    private final CaPairFailover pair;

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
        this.security = CaSocketSecurity.of(clientKeys, serverPublicKey);
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.endpoints = parseEndpoints(endpoint);
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
        this.retries = retries;
        this.codec = new CaCallCodec(codec);
        // Last: the pool opens a ZeroMQ context, which nothing would close after a refused argument.
        this.sockets = new ReqSocketPool(security);
        this.pair = endpoints.size() > 1
                ? new CaPairFailover(endpoint, endpoints, retries, sockets, this.codec, security) : null;
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
        return security.curve();
    }

    @Override
    public JsonNode call(CaTask task, ObjectNode params) {
        byte[] request = codec.encode(task, params);
        Duration timeout = timeouts.apply(task);
        if (pair != null) {
            return pair.call(task, request, timeout);
        }
        int attempts = task.idempotent() ? retries + 1 : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            byte[] reply = sockets.exchange(endpoint, request, timeout, 0);
            if (reply != null) {
                return CaCallCodec.result(codec.decode(task, endpoint, reply));
            }
            LOG.warn("CA at {} did not answer {} within {} ms (attempt {}/{})",
                    endpoint, task.wireName(), timeout.toMillis(), attempt, attempts);
        }
        String outcome = task.idempotent() ? "" : "; the task may or may not have been applied";
        throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null,
                "CA at " + endpoint + " did not answer " + task.wireName() + " within "
                        + timeout.toMillis() + " ms" + outcome + security.silenceHint());
    }

    @Override
    public void close() {
        sockets.close();
    }
}
