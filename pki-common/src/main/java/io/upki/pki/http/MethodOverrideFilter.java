package io.upki.pki.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hides the method-override headers from the application. Javalin routes a request by
 * {@code X-HTTP-Method-Override} when it is present, so a {@code POST} could run a {@code DELETE}
 * route that the proxy, the sidecar's route policy and the access log all saw as a {@code POST}.
 * Here a request is always handled as the method on its request line (RFC 9110 section 9).
 */
public final class MethodOverrideFilter implements Filter {
    /** Javalin reads the first; the others are the same idea in other frameworks, hidden too so none can reappear. */
    static final Set<String> HIDDEN = Set.of("x-http-method-override", "x-http-method", "x-method-override");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && carriesOverride(http)) {
            chain.doFilter(new Hidden(http), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static boolean carriesOverride(HttpServletRequest request) {
        for (String name : HIDDEN) {
            if (request.getHeader(name) != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean hidden(String name) {
        return name != null && HIDDEN.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The request without the override headers. */
    private static final class Hidden extends HttpServletRequestWrapper {
        Hidden(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(MethodOverrideFilter::hidden);
            return Collections.enumeration(names);
        }

        @Override
        public long getDateHeader(String name) {
            return hidden(name) ? -1 : super.getDateHeader(name);
        }

        @Override
        public int getIntHeader(String name) {
            return hidden(name) ? -1 : super.getIntHeader(name);
        }
    }
}
