package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** upki's four processes as their sources define them: which module an image runs, its options and HTTP routes. */
final class Processes {
    static final List<String> MODULES = List.of("ca-server", "crl-publisher", "auth-sidecar", "ra-core");
    /**
     * Javalin route registrations: get("/x", ...), sse("/x", ...), addHttpHandler(method, "/x", ...), and
     * ra-core's route table lines, route(r, HandlerType.GET, ROLE, "/x", ...).
     */
    private static final Pattern ROUTE = Pattern.compile(
            "(?:\\.(?:get|post|put|patch|delete|head|sse|addHttpHandler)\\((?:\\w+,\\s*)?"
                    + "|\\broute\\(\\w+,\\s*HandlerType\\.\\w+,\\s*\\w+,\\s*)\"(/[^\"]*)\"");
    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    private Processes() {
    }

    /** The module an image runs ({@code registry/upki/ra-core:0.1.0} runs ra-core), or null for other images. */
    static String module(String image) {
        String name = image.replaceFirst("@.*$", "");
        name = name.substring(name.lastIndexOf('/') + 1).replaceFirst(":.*$", "");
        String repo = image.contains("/") ? image.substring(0, image.lastIndexOf('/')) : "";
        return MODULES.contains(name) && (repo.equals("upki") || repo.endsWith("/upki")) ? name : null;
    }

    static String module(JsonNode container) {
        return module(container.path("image").asText());
    }

    /** The main Java sources of a module and of pki-common (shared options), as one text. */
    static String sources(String module) {
        return SOURCES.computeIfAbsent(module, m -> {
            StringBuilder all = new StringBuilder();
            for (String dir : List.of(m, "pki-common")) {
                try (Stream<Path> files = Files.walk(Repo.root().resolve(dir + "/src/main/java"))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                        all.append(Files.readString(f)).append('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return all.toString();
        });
    }

    /** The paths the module's HTTP server registers ({@code /auth/{proxy}} keeps its placeholder). */
    static Set<String> routes(String module) {
        Set<String> routes = new LinkedHashSet<>();
        Matcher m = ROUTE.matcher(sources(module));
        while (m.find()) {
            routes.add(m.group(1));
        }
        return routes;
    }

    /** Whether a request path (no query) hits one of the module's routes; {name} matches one segment. */
    static boolean serves(String module, String path) {
        for (String route : routes(module)) {
            String regex = Pattern.quote(route).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex)) {
                return true;
            }
        }
        return false;
    }
}
