package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cross-references between traefik.yml, the file provider's files, the Docker labels and
 * docker-compose.yml, checked the way Traefik resolves them: every middleware, service, TLS option,
 * certificate resolver, entry point, host and file path that something names must exist where Traefik
 * will look. An unqualified name means "in the provider of whoever names it" ({@code strip-admin} in
 * a Docker label is {@code strip-admin@docker}); {@code name@file} and {@code name@docker} cross over;
 * TLS options exist only in the file provider.
 */
final class EdgeChecks {
    private static final Set<String> INTERNAL_SERVICES = Set.of("api", "dashboard", "ping", "noop", "prometheus");
    private static final Set<String> CLIENT_AUTH_TYPES = Set.of("NoClientCert", "RequestClientCert",
            "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert");
    private static final Pattern HOST = Pattern.compile("Host\\(`([^`]+)`\\)");
    private static final Pattern CONFIG_FILE = Pattern.compile("--configFile=(.+)", Pattern.CASE_INSENSITIVE);

    private final JsonNode staticConfig;
    private final Map<String, JsonNode> providers = new LinkedHashMap<>();
    private final Map<String, TraefikLabels.Result> containers;
    private final ComposeFile compose;
    private final Path dynamicDir;
    private final Path staticFile;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param staticFile traefik.yml as it sits in the repository (for its mount)
     * @param dynamicDir the file provider's directory in the repository
     * @param fileProvider every file of {@code dynamicDir}, merged
     * @param containers the labels of each Compose service, parsed
     */
    EdgeChecks(Path staticFile, JsonNode staticConfig, Path dynamicDir, JsonNode fileProvider,
            Map<String, TraefikLabels.Result> containers, ComposeFile compose) {
        this.staticFile = staticFile;
        this.staticConfig = staticConfig;
        this.dynamicDir = dynamicDir;
        this.containers = containers;
        this.compose = compose;
        providers.put("file", fileProvider);
        providers.put("docker", mergeDocker());
    }

    /** Every problem found; empty when all references resolve. */
    List<String> problems() {
        checkRouters();
        checkMiddlewares();
        checkServices();
        checkEntryPoints();
        checkCertificateResolvers();
        checkTraefikMounts();
        checkDockerProvider();
        checkForwardedHeaderTrust();
        checkPublishedPorts();
        return problems;
    }

    // --- Docker labels: one provider for all containers, like Traefik's Docker provider.
    private final Map<String, String> routerOwner = new TreeMap<>();

    private JsonNode mergeDocker() {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        for (TraefikLabels.Result c : containers.values()) {
            problems.addAll(c.problems());
            if (!c.enabled()) {
                if (c.dynamic().size() > 0) {
                    problems.add(c.service() + ": Traefik labels without traefik.enable=true are ignored"
                            + " (exposedByDefault is false)");
                }
                continue;
            }
            for (String section : new String[] {"routers", "middlewares", "services"}) {
                c.dynamic().path("http").path(section).properties().forEach(e -> {
                    ObjectNode target = merged.withObjectProperty("http").withObjectProperty(section);
                    if (target.has(e.getKey()) && !target.get(e.getKey()).equals(e.getValue())) {
                        problems.add(section + " " + e.getKey() + "@docker is defined differently by two containers");
                    }
                    target.set(e.getKey(), e.getValue());
                    if (section.equals("routers")) {
                        routerOwner.put(e.getKey(), c.service());
                    }
                });
            }
        }
        return merged;
    }

    /** {@code name@provider}, the provider defaulting to the one the reference is written in. */
    record Ref(String name, String provider) {
        static Ref of(String text, String from) {
            int at = text.lastIndexOf('@');
            return at < 0 ? new Ref(text, from) : new Ref(text.substring(0, at), text.substring(at + 1));
        }

        @Override
        public String toString() {
            return name + "@" + provider;
        }
    }

    private void checkRouters() {
        Set<String> entryPoints = fieldNames(staticConfig.path("entryPoints"));
        Map<String, Set<Ref>> tlsByHost = new TreeMap<>();
        for (Map.Entry<String, JsonNode> p : providers.entrySet()) {
            String provider = p.getKey();
            p.getValue().path("http").path("routers").properties().forEach(e -> {
                String where = "router " + e.getKey() + "@" + provider;
                JsonNode router = e.getValue();
                for (String ep : routerEntryPoints(router)) {
                    if (!entryPoints.contains(ep)) {
                        problems.add(where + ": entry point " + ep + " is not in traefik.yml");
                    } else if (!staticConfig.path("entryPoints").path(ep).path("http").path("redirections").isMissingNode()) {
                        problems.add(where + ": entry point " + ep + " only redirects");
                    }
                }
                for (JsonNode m : router.path("middlewares")) {
                    checkMiddlewareRef(where, Ref.of(m.asText(), provider), new HashSet<>());
                }
                if (router.has("service")) {
                    checkServiceRef(where, Ref.of(router.get("service").asText(), provider));
                } else {
                    problems.add(where + ": no service");
                }
                JsonNode tls = router.path("tls");
                Ref options = new Ref("default", "file");
                if (tls.isObject()) {
                    if (tls.has("options")) {
                        options = Ref.of(tls.get("options").asText(), provider);
                        checkTlsOptionsRef(where, options);
                    }
                    if (tls.has("certResolver")) {
                        String resolver = tls.get("certResolver").asText();
                        if (!staticConfig.path("certificatesResolvers").has(resolver)) {
                            problems.add(where + ": certificate resolver " + resolver + " is not in traefik.yml");
                        }
                    }
                } else if (routerEntryPoints(router).stream().anyMatch(ep ->
                        staticConfig.path("entryPoints").path(ep).path("http").path("tls").isMissingNode())) {
                    problems.add(where + ": plain HTTP router (no tls) on an entry point without TLS");
                }
                Matcher host = HOST.matcher(router.path("rule").asText());
                while (host.find()) {
                    tlsByHost.computeIfAbsent(host.group(1), h -> new LinkedHashSet<>()).add(options);
                }
            });
        }
        // Traefik uses ONE set of TLS options per host name: when its routers disagree it falls back
        // to "default" for all of them. Acceptable only when "default" is the same as each.
        JsonNode fileOptions = providers.get("file").path("tls").path("options");
        for (Map.Entry<String, Set<Ref>> h : tlsByHost.entrySet()) {
            if (h.getValue().size() > 1) {
                for (Ref r : h.getValue()) {
                    if (!fileOptions.path(r.name()).equals(fileOptions.path("default"))) {
                        problems.add("host " + h.getKey() + ": routers use different TLS options " + h.getValue()
                                + " and Traefik would fall back to default, which differs from " + r);
                    }
                }
            }
        }
    }

    private List<String> routerEntryPoints(JsonNode router) {
        List<String> eps = new ArrayList<>();
        router.path("entryPoints").forEach(ep -> eps.add(ep.asText()));
        if (!eps.isEmpty()) {
            return eps;
        }
        staticConfig.path("entryPoints").properties().forEach(e -> {
            if (e.getValue().path("asDefault").asBoolean()) {
                eps.add(e.getKey());
            }
        });
        if (eps.isEmpty()) {
            eps.addAll(fieldNames(staticConfig.path("entryPoints")));
        }
        return eps;
    }

    private void checkMiddlewareRef(String where, Ref ref, Set<Ref> seen) {
        JsonNode provider = providers.get(ref.provider());
        if (provider == null) {
            problems.add(where + ": middleware " + ref + ": unknown provider " + ref.provider());
            return;
        }
        JsonNode middleware = provider.path("http").path("middlewares").path(ref.name());
        if (middleware.isMissingNode()) {
            problems.add(where + ": middleware " + ref + " does not exist");
            return;
        }
        if (!seen.add(ref)) {
            problems.add(where + ": middleware chain loops through " + ref);
            return;
        }
        for (JsonNode member : middleware.path("chain").path("middlewares")) {
            checkMiddlewareRef(where + " -> chain " + ref, Ref.of(member.asText(), ref.provider()), seen);
        }
        seen.remove(ref);
    }

    private void checkServiceRef(String where, Ref ref) {
        if (ref.provider().equals("internal")) {
            if (!INTERNAL_SERVICES.contains(ref.name())) {
                problems.add(where + ": no internal service " + ref);
            }
            return;
        }
        JsonNode provider = providers.get(ref.provider());
        if (provider == null || provider.path("http").path("services").path(ref.name()).isMissingNode()) {
            problems.add(where + ": service " + ref + " does not exist");
        }
    }

    private void checkTlsOptionsRef(String where, Ref ref) {
        if (!ref.provider().equals("file")) {
            problems.add(where + ": TLS options " + ref + ": TLS options can only come from the file provider"
                    + " (write " + ref.name() + "@file)");
            return;
        }
        if (!ref.name().equals("default") && providers.get("file").path("tls").path("options").path(ref.name()).isMissingNode()) {
            problems.add(where + ": TLS options " + ref + " do not exist");
        }
    }

    private void checkMiddlewares() {
        String traefik = compose.traefikService();
        for (Map.Entry<String, JsonNode> p : providers.entrySet()) {
            p.getValue().path("http").path("middlewares").properties().forEach(e -> {
                String where = "middleware " + e.getKey() + "@" + p.getKey();
                JsonNode forwardAuth = e.getValue().path("forwardAuth");
                if (forwardAuth.has("address")) {
                    checkReachable(where + " forwardAuth.address", forwardAuth.get("address").asText(), traefik);
                }
                for (JsonNode member : e.getValue().path("chain").path("middlewares")) {
                    checkMiddlewareRef(where, Ref.of(member.asText(), p.getKey()), new HashSet<>());
                }
            });
        }
        // TLS client CA files must be inside Traefik's container. The schema leaves clientAuth open,
        // so its keys and type are checked here.
        providers.get("file").path("tls").path("options").properties().forEach(e -> {
            JsonNode clientAuth = e.getValue().path("clientAuth");
            clientAuth.fieldNames().forEachRemaining(k -> {
                if (!k.equals("caFiles") && !k.equals("clientAuthType")) {
                    problems.add("TLS options " + e.getKey() + ": unknown clientAuth key " + k);
                }
            });
            if (clientAuth.has("clientAuthType") && !CLIENT_AUTH_TYPES.contains(clientAuth.get("clientAuthType").asText())) {
                problems.add("TLS options " + e.getKey() + ": unknown clientAuthType " + clientAuth.get("clientAuthType").asText());
            }
            for (JsonNode ca : e.getValue().path("clientAuth").path("caFiles")) {
                checkTraefikPath("TLS options " + e.getKey() + " caFiles", ca.asText(), false);
            }
        });
    }

    private void checkServices() {
        String traefik = compose.traefikService();
        for (Map.Entry<String, JsonNode> p : providers.entrySet()) {
            p.getValue().path("http").path("services").properties().forEach(e -> {
                for (JsonNode server : e.getValue().path("loadBalancer").path("servers")) {
                    checkReachable("service " + e.getKey() + "@" + p.getKey(), server.path("url").asText(), traefik);
                }
            });
        }
    }

    /** An http(s) URL whose host is a Compose service (or alias) on a network Traefik joins. */
    private void checkReachable(String where, String url, String from) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            problems.add(where + ": not a URL: " + url);
            return;
        }
        if (host == null) {
            problems.add(where + ": no host in " + url);
            return;
        }
        for (String service : compose.services().keySet()) {
            for (String network : compose.networksOf(service)) {
                if (compose.namesOn(service, network).contains(host) && compose.networksOf(from).contains(network)) {
                    return;
                }
            }
        }
        problems.add(where + ": " + host + " (" + url + ") is no Compose service on a network " + from + " joins");
    }

    private void checkEntryPoints() {
        JsonNode eps = staticConfig.path("entryPoints");
        eps.properties().forEach(e -> {
            JsonNode to = e.getValue().path("http").path("redirections").path("entryPoint").path("to");
            if (!to.isMissingNode() && !eps.has(to.asText())) {
                problems.add("entry point " + e.getKey() + " redirects to unknown entry point " + to.asText());
            }
            for (JsonNode m : e.getValue().path("http").path("middlewares")) {
                Ref ref = Ref.of(m.asText(), "file");
                if (m.asText().indexOf('@') < 0) {
                    problems.add("entry point " + e.getKey() + ": middleware " + m.asText() + " must name its provider");
                } else {
                    checkMiddlewareRef("entry point " + e.getKey(), ref, new HashSet<>());
                }
            }
        });
        JsonNode ping = staticConfig.path("ping");
        if (!ping.isMissingNode()) {
            String ep = ping.path("entryPoint").asText("traefik");
            if (!eps.has(ep)) {
                problems.add("ping: entry point " + ep + " is not defined");
            }
        }
    }

    private void checkCertificateResolvers() {
        String traefik = compose.traefikService();
        staticConfig.path("certificatesResolvers").properties().forEach(e -> {
            JsonNode acme = e.getValue().path("acme");
            if (acme.isMissingNode()) {
                return;
            }
            String where = "certificate resolver " + e.getKey();
            if (acme.has("caServer")) {
                checkReachable(where + " caServer", acme.get("caServer").asText(), traefik);
            } else {
                problems.add(where + ": no caServer (Traefik would ask Let's Encrypt)");
            }
            if (!acme.has("tlsChallenge") && !acme.has("httpChallenge") && !acme.has("dnsChallenge")) {
                problems.add(where + ": no challenge");
            }
            if (acme.has("httpChallenge")) {
                String ep = acme.path("httpChallenge").path("entryPoint").asText();
                if (!staticConfig.path("entryPoints").has(ep)) {
                    problems.add(where + ": httpChallenge entry point " + ep + " is not defined");
                }
            }
            String storage = acme.path("storage").asText("acme.json");
            ComposeFile.Mount m = traefik == null ? null : compose.mountOf(traefik, storage);
            if (m == null || m.bind() || m.readOnly()) {
                problems.add(where + ": storage " + storage + " is not on a writable named volume (lost on re-creation)");
            }
        });
    }

    private void checkTraefikMounts() {
        String traefik = compose.traefikService();
        if (traefik == null) {
            problems.add("docker-compose.yml: no service runs the traefik image");
            return;
        }
        String configFile = "/etc/traefik/traefik.yml";
        for (JsonNode arg : compose.service(traefik).path("command")) {
            Matcher m = CONFIG_FILE.matcher(arg.asText());
            if (m.matches()) {
                configFile = m.group(1);
            }
        }
        ComposeFile.Mount config = compose.mountOf(traefik, configFile);
        if (config == null || !config.bind() || !sameFile(compose.dir().resolve(config.source()), staticFile)) {
            problems.add("traefik: " + configFile + " is not a bind mount of " + staticFile);
        }
        JsonNode file = staticConfig.path("providers").path("file");
        if (file.has("directory")) {
            String dir = file.get("directory").asText();
            ComposeFile.Mount m = compose.mountOf(traefik, dir);
            if (m == null || !m.bind() || !m.target().equals(dir)
                    || !sameFile(compose.dir().resolve(m.source()), dynamicDir)) {
                problems.add("traefik: file provider directory " + dir + " is not a bind mount of " + dynamicDir);
            }
        } else if (file.has("filename")) {
            checkTraefikPath("file provider filename", file.get("filename").asText(), true);
        }
    }

    /** A path Traefik reads must be in a mount: a bind mount of an existing file, or a named volume. */
    private void checkTraefikPath(String what, String path, boolean mustBeBind) {
        String problem = traefikPathProblem(compose, what, path, mustBeBind);
        if (problem != null) {
            problems.add(problem);
        }
    }

    /** Why {@code path} would not exist in the traefik container, or null when a volume provides it. */
    static String traefikPathProblem(ComposeFile compose, String what, String path, boolean mustBeBind) {
        String traefik = compose.traefikService();
        ComposeFile.Mount m = traefik == null ? null : compose.mountOf(traefik, path);
        if (m == null) {
            return what + ": " + path + " is in no volume of the traefik service";
        }
        if (m.bind()) {
            Path source = compose.dir().resolve(m.source()).resolve(Path.of(m.target()).relativize(Path.of(path)).toString());
            return Files.exists(source) ? null : what + ": " + path + " is bind-mounted from " + source + ", which does not exist";
        }
        if (mustBeBind) {
            return what + ": " + path + " should come from the repository";
        }
        if (!compose.declaresVolume(m.source())) {
            return what + ": volume " + m.source() + " is not declared";
        }
        for (String s : compose.services().keySet()) {
            for (ComposeFile.Mount other : compose.mounts(s)) {
                if (other.source().equals(m.source()) && !other.readOnly() && !s.equals(traefik)) {
                    return null;
                }
            }
        }
        return what + ": no service writes volume " + m.source();
    }

    private void checkDockerProvider() {
        JsonNode docker = staticConfig.path("providers").path("docker");
        String traefik = compose.traefikService();
        if (docker.isMissingNode() || traefik == null) {
            return;
        }
        if (!docker.path("exposedByDefault").isBoolean() || docker.path("exposedByDefault").asBoolean()) {
            problems.add("providers.docker.exposedByDefault must be false");
        }
        String endpoint = docker.path("endpoint").asText("unix:///var/run/docker.sock");
        if (endpoint.startsWith("unix://")) {
            String socket = endpoint.substring("unix://".length());
            ComposeFile.Mount m = compose.mountOf(traefik, socket);
            if (m == null || !m.target().equals(socket)) {
                problems.add("traefik: Docker socket " + socket + " is not mounted");
            }
        }
        String network = docker.path("network").asText(null);
        for (TraefikLabels.Result c : containers.values()) {
            if (!c.enabled()) {
                continue;
            }
            String wanted = c.network() != null ? c.network() : network;
            if (wanted == null) {
                problems.add(c.service() + ": no Docker network named for Traefik (providers.docker.network"
                        + " or traefik.docker.network)");
                continue;
            }
            boolean shared = false;
            for (String key : compose.networksOf(c.service())) {
                shared |= wanted.equals(compose.networkName(key)) && compose.networksOf(traefik).contains(key);
            }
            if (!shared) {
                problems.add(c.service() + ": Docker network " + wanted + " is not a network (with that fixed name)"
                        + " that both it and traefik join");
            }
        }
    }

    /**
     * forwardAuth with trustForwardHeader: true passes the request's X-Forwarded-* headers to the
     * sidecar; safe only when no entry point takes them from clients.
     */
    private void checkForwardedHeaderTrust() {
        boolean trusting = false;
        for (JsonNode provider : providers.values()) {
            for (JsonNode m : provider.path("http").path("middlewares")) {
                trusting |= m.path("forwardAuth").path("trustForwardHeader").asBoolean(false);
            }
        }
        if (!trusting) {
            return;
        }
        staticConfig.path("entryPoints").properties().forEach(e -> {
            JsonNode fh = e.getValue().path("forwardedHeaders");
            if (fh.path("insecure").asBoolean(false) || fh.path("trustedIPs").size() > 0
                    || e.getValue().path("proxyProtocol").path("insecure").asBoolean(false)
                    || e.getValue().path("proxyProtocol").path("trustedIPs").size() > 0) {
                problems.add("entry point " + e.getKey() + " trusts client X-Forwarded-* headers, so forwardAuth's"
                        + " trustForwardHeader: true would let a client forge X-Forwarded-Tls-Client-Cert");
            }
        });
    }

    /** Only Traefik publishes ports, and only entry points with a purpose (not ping). */
    private void checkPublishedPorts() {
        String traefik = compose.traefikService();
        Map<String, String> byPort = new LinkedHashMap<>();
        staticConfig.path("entryPoints").properties().forEach(e -> {
            String address = e.getValue().path("address").asText();
            byPort.put(address.substring(address.lastIndexOf(':') + 1).replaceAll("/.*", ""), e.getKey());
        });
        for (String service : compose.services().keySet()) {
            JsonNode ports = compose.service(service).path("ports");
            if (ports.size() > 0 && !service.equals(traefik)) {
                problems.add(service + ": publishes ports; only traefik may");
            }
            if (service.equals(traefik)) {
                for (JsonNode port : ports) {
                    String text = port.isObject() ? port.path("target").asText() : port.asText();
                    String container = text.substring(text.lastIndexOf(':') + 1).replaceAll("/.*", "");
                    String ep = byPort.get(container);
                    if (ep == null) {
                        problems.add("traefik publishes " + container + ", which is no entry point");
                    } else if (ep.equals(staticConfig.path("ping").path("entryPoint").asText("traefik"))) {
                        problems.add("traefik publishes its ping entry point " + ep);
                    }
                }
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
