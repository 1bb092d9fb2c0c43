package io.upki.ca.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.CaServer;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaInitializer;
import io.upki.ca.config.CaConfig;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.crypto.NativeCrypto;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A real CA for functional tests: initialised in a temporary folder, serving real ZeroMQ sockets on
 * free loopback ports, with a real client. EC P-384 by default because RSA-4096 generation is slow.
 */
public final class TestCa implements AutoCloseable {
    public static final String SEED = "test-seed-0123456789";

    private final Path dataDir;
    private final CaServer server;
    private final ZmqCaClient client;
    private final ZContext raw = new ZContext(1);

    private final io.upki.pki.caclient.CurveKeys operatorKeys;

    private TestCa(Path dataDir, CaServer server) {
        this(dataDir, server, null);
    }

    private TestCa(Path dataDir, CaServer server, io.upki.pki.caclient.CurveKeys operatorKeys) {
        this.dataDir = dataDir;
        this.server = server;
        this.operatorKeys = operatorKeys;
        this.client = new ZmqCaClient(opsEndpoint(), t -> Duration.ofSeconds(60), 0, new WireCodec(), operatorKeys,
                operatorKeys == null ? null : server.curvePublicKey());
    }

    /**
     * Opens the CA in {@code dir} with {@code --client-auth curve} and enrols a first operator key with
     * the seed: {@link #client()} is then that operator's CURVE client.
     */
    public static TestCa openCurve(Path dir, int port) throws IOException {
        CaConfig config = new CaConfig(dir, "127.0.0.1", port, port == 0 ? 0 : port + 1, port == 0 ? 0 : port + 2,
                Duration.ofDays(7), null);
        NativeCrypto.install(System.getenv(NativeCrypto.SWITCH));
        CaServer server = CaServer.open(config, io.upki.ca.access.ClientAuth.CURVE, null, null, Clock.systemUTC(),
                new SecureRandom(), logOnly(Clock.systemUTC()), TestStores.location(dir), TestStores.password(dir));
        server.start();
        io.upki.pki.caclient.CurveKeys operator = io.upki.pki.caclient.CurveKeys.generate();
        try (ZmqCaClient registration = new ZmqCaClient("tcp://127.0.0.1:" + server.registrationPort(),
                t -> Duration.ofSeconds(30), 0, new WireCodec(), operator, server.curvePublicKey())) {
            registration.call(CaTask.ENROL, CaClient.params().put("seed", SEED).put("name", "test operator"));
        }
        return new TestCa(dir, server, operator);
    }

    /** The enrolled operator's key pair of a CURVE CA, else null. */
    public io.upki.pki.caclient.CurveKeys operatorKeys() {
        return operatorKeys;
    }

    /** The CA's CURVE public key (Z85). */
    public String curvePublicKey() {
        return server.curvePublicKey();
    }

    public static TestCa start(Path dir) throws IOException {
        return start(dir, "ec", Duration.ofDays(7), null);
    }

    public static TestCa start(Path dir, String keyType, Duration crlValidity, String crlUrl) throws IOException {
        initialize(dir, keyType);
        return open(dir, crlValidity, crlUrl, Clock.systemUTC());
    }

    public static void initialize(Path dir, String keyType) throws IOException {
        NativeCrypto.install(System.getenv(NativeCrypto.SWITCH)); // as the real process does at start
        new CaInitializer(Clock.systemUTC(), new SecureRandom())
                .initialize(new CaFiles(dir), keyType, SEED, null, null, "7", null);
    }

    /** Opens (or re-opens after a restart) the CA in {@code dir}. */
    public static TestCa open(Path dir, Duration crlValidity, String crlUrl, Clock clock) throws IOException {
        return open(dir, crlValidity, crlUrl, clock, 0);
    }

    /**
     * Three consecutive free ports (operations, registration = +1, events = +2), as clients derive them,
     * drawn below Linux's ephemeral range (32768+) so outgoing connections cannot take them meanwhile.
     */
    public static int freePortBlock() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 500; attempt++) {
            int base = 10_000 + random.nextInt(22_000);
            try (var a = new java.net.ServerSocket(base); var b = new java.net.ServerSocket(base + 1);
                 var c = new java.net.ServerSocket(base + 2)) {
                return base;
            } catch (IOException e) {
                // taken: try another block
            }
        }
        throw new IllegalStateException("no free block of three ports");
    }

    /** Opens the CA with operations on {@code port} (0: any), registration on port + 1, events on port + 2. */
    public static TestCa open(Path dir, Duration crlValidity, String crlUrl, Clock clock, int port) throws IOException {
        return open(dir, crlValidity, crlUrl, null, clock, port);
    }

    /** As {@link #open(Path, Duration, String, Clock, int)}, writing {@code ocspUrl} into issued certificates' AIA. */
    public static TestCa open(Path dir, Duration crlValidity, String crlUrl, String ocspUrl, Clock clock, int port)
            throws IOException {
        CaConfig config = new CaConfig(dir, "127.0.0.1", port, port == 0 ? 0 : port + 1, port == 0 ? 0 : port + 2,
                crlValidity, crlUrl, ocspUrl);
        NativeCrypto.install(System.getenv(NativeCrypto.SWITCH)); // as the real process does at start
        CaServer server = CaServer.open(config, io.upki.ca.access.ClientAuth.parse(null, config.host()), null, null, clock,
                new SecureRandom(), logOnly(clock), TestStores.location(dir), TestStores.password(dir));
        server.start();
        return new TestCa(dir, server);
    }

    private static io.upki.ca.audit.AuditLog logOnly(Clock clock) {
        return new io.upki.ca.audit.AuditLog(io.upki.pki.audit.AuditTrail.logOnly("ca-server", clock));
    }

    public CaServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    public CaClient client() {
        return client;
    }

    public String opsEndpoint() {
        return "tcp://127.0.0.1:" + server.port();
    }

    public String eventsEndpoint() {
        return "tcp://127.0.0.1:" + server.eventsPort();
    }

    public String registrationEndpoint() {
        return "tcp://127.0.0.1:" + server.registrationPort();
    }

    public JsonNode call(CaTask task, ObjectNode params) {
        return client.call(task, params);
    }

    /**
     * The message of the CA's refusal of {@code task}, which must be a rejection of the request (not a
     * transport or server failure); fails the test when the CA carries the task out.
     */
    public String rejected(CaTask task, ObjectNode params) {
        try {
            client.call(task, params);
        } catch (io.upki.pki.caclient.CaClientException e) {
            if (e.kind() != io.upki.pki.caclient.CaClientException.Kind.REJECTED) {
                throw new AssertionError(task + " failed instead of being rejected: " + e.getMessage(), e);
            }
            return e.getMessage();
        }
        throw new AssertionError(task + " was carried out: " + params);
    }

    /** Sends raw bytes with a fresh REQ socket and returns the raw reply text (null on timeout). */
    public String sendRaw(String endpoint, byte[] frame, Duration timeout) {
        try (ZMQ.Socket s = raw.createSocket(SocketType.REQ)) {
            s.setLinger(0);
            s.setReceiveTimeOut((int) timeout.toMillis());
            s.setHandshakeIvl(1000); // jeromq#1022, see ZmqCaClient
            s.connect(endpoint);
            s.send(frame, 0);
            byte[] reply = s.recv(0);
            return reply == null ? null : new String(reply, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public String sendRaw(byte[] frame) {
        return sendRaw(opsEndpoint(), frame, Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        client.close();
        raw.close();
        server.close();
    }
}
