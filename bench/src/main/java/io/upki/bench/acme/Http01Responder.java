package io.upki.bench.acme;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The http-01 side of the bench's ACME clients on 127.0.0.1: {@code GET /.well-known/acme-challenge/TOKEN}
 * answers the key authorization a client put in {@link #answers()} (RFC 8555 §8.3), 404 for any other token.
 */
final class Http01Responder implements AutoCloseable {
    private static final String PREFIX = "/.well-known/acme-challenge/";

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final HttpServer http;
    private final ExecutorService threads;

    private Http01Responder(HttpServer http, ExecutorService threads) {
        this.http = http;
        this.threads = threads;
    }

    /**
     * Listening on {@code port} with {@code backlog} pending connections, answering on {@code threads} threads
     * (0: the server's own single thread).
     */
    static Http01Responder start(int port, int backlog, int threads) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), backlog);
        ExecutorService pool = threads > 0 ? Executors.newFixedThreadPool(threads) : null;
        Http01Responder responder = new Http01Responder(http, pool);
        http.createContext(PREFIX, ex -> {
            String body = responder.answers.get(ex.getRequestURI().getPath().substring(PREFIX.length()));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        http.setExecutor(pool);
        http.start();
        return responder;
    }

    /** Token to key authorization, filled and emptied by the clients around each validation. */
    Map<String, String> answers() {
        return answers;
    }

    @Override
    public void close() {
        http.stop(0);
        if (threads != null) {
            threads.shutdownNow();
        }
    }
}
