package io.upki.sidecar.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
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
    record Seen(String method, String uri, Map<String, List<String>> headers, String peer) {
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

    /**
     * @param tls null for plain HTTP; else HTTPS with this context, a client certificate required (as
     *     ra-core's edge listener requires the proxy's), whose subject each {@link Seen} records
     */
    RecordingUpstream(SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 32);
        } else {
            HttpsServer https = HttpsServer.create(address, 32);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = tls.getDefaultSSLParameters();
                    p.setNeedClientAuth(true);
                    params.setSSLParameters(p);
                }
            });
            server = https;
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
                String peer = null;
                if (exchange instanceof HttpsExchange secure) {
                    peer = secure.getSSLSession().getPeerPrincipal().getName();
                }
                Seen s = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        Collections.unmodifiableMap(headers), peer);
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
