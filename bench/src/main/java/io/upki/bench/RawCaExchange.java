package io.upki.bench;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * One REQ socket to the CA whose replies are parsed without the 4 MiB string bound of pki-common's
 * {@code WireCodec}, so that {@code generate_crl} can be timed even when its CRL is too large for
 * {@code ZmqCaClient} (the report then says so).
 */
final class RawCaExchange implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(512 * 1024 * 1024).build());
    }

    private final ZContext context = new ZContext(1);
    private final String endpoint;
    private ZMQ.Socket socket;
    private byte[] lastFrame;

    private RawCaExchange(String endpoint) {
        this.endpoint = endpoint;
    }

    /** Opens a socket that has completed one {@code get_ca}, replacing it when JeroMQ lost that first request. */
    static RawCaExchange connect(String endpoint, int attempts, Duration timeout) {
        RawCaExchange exchange = new RawCaExchange(endpoint);
        for (int attempt = 1; attempt <= attempts; attempt++) {
            exchange.open();
            if (exchange.exchange("get_ca", timeout) != null) {
                return exchange;
            }
        }
        exchange.close();
        throw new IllegalStateException("CA at " + endpoint + " did not answer get_ca on " + attempts + " new sockets");
    }

    private void open() {
        if (socket != null) {
            context.destroySocket(socket);
        }
        socket = context.createSocket(SocketType.REQ);
        socket.setLinger(0);
        socket.connect(endpoint);
    }

    /**
     * Sends one task without parameters and returns its {@code DATA}.
     *
     * @throws IllegalStateException on a timeout or an {@code UPKI ERROR}
     */
    JsonNode call(String task, Duration timeout) {
        JsonNode data = exchange(task, timeout);
        if (data == null) {
            open(); // a REQ socket that missed its reply cannot be used again
            throw new IllegalStateException("CA did not answer " + task + " within " + timeout.toSeconds() + " s");
        }
        return data;
    }

    /** The DER of a CRL answered as base64 by {@code generate_crl} or {@code get_crl}. */
    byte[] crl(String task, Duration timeout) {
        return Base64.getDecoder().decode(call(task, timeout).asText());
    }

    /** The last reply frame, to check afterwards whether pki-common's codec can read it. */
    byte[] lastFrame() {
        return lastFrame;
    }

    private JsonNode exchange(String task, Duration timeout) {
        socket.send(("{\"TASK\":\"" + task + "\",\"params\":{}}").getBytes(StandardCharsets.UTF_8), 0);
        try (ZMQ.Poller poller = context.createPoller(1)) {
            poller.register(socket, ZMQ.Poller.POLLIN);
            if (poller.poll(timeout.toMillis()) <= 0 || !poller.pollin(0)) {
                return null;
            }
        }
        byte[] frame = socket.recv(0);
        lastFrame = frame;
        JsonNode root;
        try {
            root = JSON.readTree(frame);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable reply to " + task + ": " + e.getMessage(), e);
        }
        if (!"ANSWER".equals(root.path("EVENT").asText())) {
            throw new IllegalStateException(root.path("MSG").asText("malformed reply to " + task));
        }
        return root.path("DATA");
    }

    @Override
    public void close() {
        context.close();
    }
}
