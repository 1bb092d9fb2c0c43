package io.upki.pki.http;

import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;

/** The settings every upki Javalin server shares. */
public final class HttpServers {
    private HttpServers() {
    }

    /** Requests are routed by their request line's method only ({@link MethodOverrideFilter}). */
    public static void noMethodOverride(JavalinConfig config) {
        config.jetty.modifyServletContextHandler(h -> h.addFilter(MethodOverrideFilter.class, "/*",
                EnumSet.of(DispatcherType.REQUEST)));
    }
}
