package io.upki.sidecar.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The RA stand-in: answers 200 with the headers it received as JSON, and remembers every request. */
final class RecordingUpstream implements AutoCloseable {
    /** One request as the upstream saw it; header names case-insensitive. */
    record Seen(String method, String uri, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        List<String> all(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    RecordingUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
                Seen s = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        Collections.unmodifiableMap(headers));
                seen.add(s);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("upstream", "ok");
                body.put("uri", s.uri());
                body.put("headers", headers);
                byte[] json = new ObjectMapper().writeValueAsBytes(body);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, json.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(json);
                }
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** The requests received for {@code uri} (path and query). */
    List<Seen> seen(String uri) {
        return seen.stream().filter(s -> s.uri().equals(uri)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
