package io.upki.sidecar.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Route prefix to required role, longest prefix first; a prefix matches whole path segments only
 * ({@code /api/v1} matches {@code /api/v1} and {@code /api/v1/x}, never {@code /api/v10}).
 *
 * <p>The path is classified as the upstream will see it: dot segments and encoded separators are
 * refused rather than interpreted, so {@code /api/client/../v1/admins} cannot pass as a client route.
 */
public final class RoutePolicy {
    private final List<Map.Entry<String, RouteClass>> rules;
    private final RouteClass fallback;

    public RoutePolicy(Map<String, RouteClass> rules, RouteClass fallback) {
        List<Map.Entry<String, RouteClass>> sorted = new ArrayList<>();
        rules.forEach((prefix, cls) -> sorted.add(Map.entry(trimSlash(prefix), cls)));
        sorted.sort(Comparator.comparingInt((Map.Entry<String, RouteClass> e) -> e.getKey().length()).reversed());
        this.rules = List.copyOf(sorted);
        this.fallback = fallback;
    }

    /** upki's defaults: public RA paths, admin API and console, client API, ACME; everything else denied. */
    public static RoutePolicy defaults() {
        Map<String, RouteClass> rules = new LinkedHashMap<>();
        rules.put("/api/v1/public", RouteClass.PUBLIC);
        rules.put("/api/v1", RouteClass.ADMIN);
        rules.put("/api/client", RouteClass.CLIENT);
        // ra-core's admin console (issue #21): a browser page is an admin action like any /api/v1 call.
        rules.put("/ui", RouteClass.ADMIN);
        rules.put("/acme", RouteClass.PUBLIC);
        rules.put("/health", RouteClass.PUBLIC);
        return new RoutePolicy(rules, RouteClass.DENY);
    }

    /**
     * Parses rules such as {@code /api/v1=admin,/api/client=client}; unknown classes are an error.
     */
    public static RoutePolicy parse(String spec, RouteClass fallback) {
        Map<String, RouteClass> rules = new LinkedHashMap<>();
        for (String rule : spec.split(",")) {
            String r = rule.strip();
            if (r.isEmpty()) {
                continue;
            }
            int eq = r.indexOf('=');
            if (eq <= 0 || !r.startsWith("/")) {
                throw new IllegalArgumentException("route rule '" + r + "' is not /prefix=class");
            }
            rules.put(r.substring(0, eq), RouteClass.valueOf(r.substring(eq + 1).strip().toUpperCase(Locale.ROOT)));
        }
        return new RoutePolicy(rules, fallback);
    }

    /** The class of the original request URI (path plus optional query); null when the URI is unsafe. */
    public RouteClass classify(String uri) {
        if (uri == null || uri.isEmpty() || uri.charAt(0) != '/') {
            return null;
        }
        int q = uri.indexOf('?');
        String path = q >= 0 ? uri.substring(0, q) : uri;
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        if (!safe(path)) {
            return null;
        }
        for (Map.Entry<String, RouteClass> rule : rules) {
            String prefix = rule.getKey();
            if (prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/")) {
                return rule.getValue();
            }
        }
        return fallback;
    }

    private static boolean safe(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || lower.contains("%00")
                || path.contains("\\") || path.contains("//") || path.contains(";")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String trimSlash(String prefix) {
        return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
