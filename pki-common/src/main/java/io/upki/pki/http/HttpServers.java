package io.upki.pki.http;

import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The settings every upki Javalin server shares: deadlines for slow clients, no method override. */
public final class HttpServers {
    /** A connection silent this long is closed (Jetty's own default, stated here). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** The TLS handshake plus a request header, or a later request header, must arrive within this. */
    public static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);
    /** A request body must arrive within this after its header (a 64 KiB body at 6.4 KB/s). */
    public static final Duration BODY_DEADLINE = Duration.ofSeconds(10);
    /** Bodies that may be arriving at once: with a 64 KiB limit at most 32 MiB held. */
    public static final int MAX_WAITING_BODIES = 512;

    private HttpServers() {
    }

    /** Requests are routed by their request line's method only ({@link MethodOverrideFilter}). */
    public static void noMethodOverride(JavalinConfig config) {
        config.jetty.modifyServletContextHandler(h -> h.addFilter(MethodOverrideFilter.class, "/*",
                EnumSet.of(DispatcherType.REQUEST)));
    }

    /** Bodies are read before the application runs, without a thread ({@link BodyLoader}). */
    public static void loadBodies(JavalinConfig config, int maxBody) {
        config.jetty.modifyServer(server -> server.insertHandler(
                new BodyLoader(maxBody, BODY_DEADLINE, MAX_WAITING_BODIES)));
    }

    /** A plain HTTP connector with the idle timeout and the header deadline. */
    public static ServerConnector plain(Server server, HttpConfiguration http, String host, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return withDeadlines(connector);
    }

    /** The idle timeout and the header deadline on any connector (HTTPS included: the handshake counts). */
    public static <C extends AbstractConnector> C withDeadlines(C connector) {
        return ConnectionDeadlines.install(connector, IDLE_TIMEOUT, HEADER_DEADLINE);
    }
}
