package io.upki.pki.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.process.ProcessRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's operations listener: {@code GET /health}, {@code /ready} and {@code /metrics} over plain
 * HTTP, apart from the process's own (ZeroMQ, or mutual-TLS) listener. The JDK's own server: three
 * read-only routes do not justify bringing Jetty into the process that holds the CA key, and for the
 * sidecar and ra-core it lets probes and Prometheus read health without the proxy's certificate. Bind
 * it to loopback or a monitoring network; it reveals counts, never certificates or keys.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} and serves until closed; {@code process} names its threads, and a null
     * {@code metrics} (metrics turned off) makes {@code /metrics} a 404.
     */
    public static OpsServer start(String process, InetSocketAddress address, Supplier<Readiness> readiness,
                                  Supplier<String> metrics) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named(process + "-ops-http"));
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    json(exchange, 405, Map.of("status", "error", "reason", "method_not_allowed",
                            "message", "only GET is served here"));
                    return;
                }
                switch (exchange.getRequestURI().getPath()) {
                    case "/health" -> json(exchange, 200, Map.of("status", "ok"));
                    case "/ready" -> {
                        Readiness r = readiness.get();
                        json(exchange, r.status(), r.body());
                    }
                    case "/metrics" -> {
                        if (metrics == null) {
                            json(exchange, 404, Map.of("status", "error", "reason", "not_found",
                                    "message", "metrics are off (--metrics off)"));
                        } else {
                            send(exchange, 200, OpsMetrics.CONTENT_TYPE, metrics.get().getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    default -> json(exchange, 404, Map.of("status", "error", "reason", "not_found",
                            "message", "use /health, /ready or /metrics"));
                }
            } catch (RuntimeException e) {
                LOG.error("ops request failed", e);
            }
        });
        server.start();
        return new OpsServer(server, executor);
    }

    /** The address of an {@code --ops-listen host:port} option, or null when it is not given. */
    public static InetSocketAddress address(String option, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        ProcessRunner.HostPort hp = ProcessRunner.hostPort(option, value.strip());
        return new InetSocketAddress(hp.host(), hp.port());
    }

    /** Starts a process's ops listener; {@code start} returns the bound port. */
    @FunctionalInterface
    public interface Starter {
        int start() throws IOException;
    }

    /**
     * Runs {@code starter} for an already started {@code service}; when the address cannot be bound the
     * service is closed again and the option's one-line reason thrown, so the process exits instead of
     * running without the listener its operator asked for.
     */
    public static int bind(AutoCloseable service, String option, String value, Starter starter) {
        try {
            return starter.start();
        } catch (IOException e) {
            try {
                service.close();
            } catch (Exception ignored) {
                // already failing: the bind error is the one to report
            }
            throw new IllegalArgumentException(option + ": cannot listen on " + value + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void json(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
