package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The security choices of the edge, checked against the contracts they rely on: the sidecar's
 * identity headers and route policy (docs/AUTH-SIDECAR.md) and the processes' own options.
 */
class EdgePolicyTest {
    private static final Pattern IDENTITY_HEADER = Pattern.compile("\\| `(X-Upki-[A-Za-z-]+)` \\|");
    private static final Pattern ROUTES_DEFAULT = Pattern.compile("default `(/[^`]+)`");
    private static final Pattern PATH_PREFIX = Pattern.compile("PathPrefix\\(`([^`]+)`\\)");
    private final Stack stack = Stack.repo();

    @Test
    void theEdgeFollowsItsPolicy() {
        assertThat(problems(stack)).isEmpty();
    }

    @Test
    void forwardAuthCopiesEveryIdentityHeaderTheSidecarDocuments() {
        assertThat(identityHeaders()).hasSize(5).contains("X-Upki-Assertion");
        JsonNode copied = stack.fileProvider().at("/http/middlewares/upki-auth/forwardAuth/authResponseHeaders");
        List<String> names = new ArrayList<>();
        copied.forEach(h -> names.add(h.asText()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(identityHeaders());
    }

    @Test
    void aMissingIdentityHeaderIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/middlewares/upki-auth/forwardAuth",
                f -> ((ArrayNode) f.get("authResponseHeaders")).remove(4));
        assertThat(problems(stack.withFileProvider(file))).anyMatch(p -> p.contains("X-Upki-Assertion"));
    }

    @Test
    void aChainInTheWrongOrderIsFound() {
        JsonNode compose = Mutate.label(stack.compose().root(), "ra-core", l -> l.replace(
                "upki-strip-identity@file,upki-passtls@file,upki-auth@file",
                "upki-passtls@file,upki-strip-identity@file,upki-auth@file"));
        assertThat(problems(stack.withCompose(compose))).anyMatch(p -> p.contains("upki-ra-admin@docker"));
    }

    @Test
    void anAdminRouteWithoutForwardAuthIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/routers/upki-ra-client",
                r -> r.putArray("middlewares").add("upki-strip-identity"));
        assertThat(problems(stack.withFileProvider(file))).anyMatch(p -> p.contains("upki-ra-client@file"));
    }

    @Test
    void requiringACertificateForTheWholeHostIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/tls/options/upki-mtls/clientAuth",
                c -> c.put("clientAuthType", "RequireAndVerifyClientCert"));
        assertThat(problems(stack.withFileProvider(file))).anyMatch(p -> p.contains("without a certificate"));
    }

    @Test
    void anRaServiceOnTheWrongSchemeForItsModeIsFound() {
        JsonNode compose = Mutate.at(stack.compose().root(), "/services/ra-core", s -> s.set("command",
                Repo.yaml(s.get("command").toString().replace("\"--edge-tls\",", ""))));
        assertThat(problems(stack.withCompose(compose))).anyMatch(p -> p.contains("edge mode on http://"));
    }

    @Test
    void aHostNameTraefikIsNotKnownByIsFound() {
        JsonNode compose = Mutate.label(stack.compose().root(), "ra-core",
                l -> l.replace("Host(`ra.example.internal`)", "Host(`pki.example.internal`)"));
        assertThat(problems(stack.withCompose(compose))).anyMatch(p -> p.contains("pki.example.internal"));
    }

    /** The identity headers in the sidecar's documentation table. */
    static Set<String> identityHeaders() {
        Set<String> headers = new LinkedHashSet<>();
        Matcher m = IDENTITY_HEADER.matcher(Repo.read(Repo.root().resolve("docs/AUTH-SIDECAR.md")));
        while (m.find()) {
            headers.add(m.group(1));
        }
        return headers;
    }

    /** The sidecar's default route policy: path prefix to class (public, admin, client). */
    static Map<String, String> routePolicy() {
        Matcher m = ROUTES_DEFAULT.matcher(Repo.read(Repo.root().resolve("docs/AUTH-SIDECAR.md")));
        Map<String, String> policy = new LinkedHashMap<>();
        if (m.find()) {
            for (String rule : m.group(1).split(",")) {
                String[] kv = rule.split("=");
                policy.put(kv[0], kv[1]);
            }
        }
        return policy;
    }

    static String classOf(String path) {
        String best = null;
        for (String prefix : routePolicy().keySet()) {
            if ((path.equals(prefix) || path.startsWith(prefix + "/")) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? "deny" : routePolicy().get(best);
    }

    static List<String> problems(Stack stack) {
        List<String> problems = new ArrayList<>();
        JsonNode file = stack.fileProvider();
        JsonNode docker = stack.labels().values().stream().map(TraefikLabels.Result::dynamic)
                .reduce((a, b) -> a).orElseThrow();
        Map<String, JsonNode> providers = Map.of("file", file, "docker", docker);
        // 1. Every router: the sidecar asked exactly where the sidecar's policy wants a certificate.
        providers.forEach((provider, config) -> config.path("http").path("routers").properties().forEach(e -> {
            String where = "router " + e.getKey() + "@" + provider;
            Matcher prefix = PATH_PREFIX.matcher(e.getValue().path("rule").asText());
            if (!prefix.find()) {
                problems.add(where + ": no PathPrefix");
                return;
            }
            String cls = classOf(prefix.group(1));
            List<String> chain = expand(providers, e.getValue().path("middlewares"), provider);
            boolean asks = chain.contains("forwardAuth");
            if (cls.equals("deny")) {
                problems.add(where + ": " + prefix.group(1) + " is refused by the sidecar's route policy");
            } else if (!cls.equals("public")) {
                List<String> wanted = List.of("headers", "passTLSClientCert", "forwardAuth");
                if (!chain.equals(wanted)) {
                    problems.add(where + ": " + cls + " route must run " + wanted + ", runs " + chain);
                }
            } else if (asks || !chain.contains("headers")) {
                problems.add(where + ": public route should strip identity headers and not ask the sidecar: " + chain);
            }
        }));
        // 2. forwardAuth: all identity headers back; strip them all (and certificate headers) before.
        Set<String> identity = identityHeaders();
        file.path("http").path("middlewares").properties().forEach(e -> {
            JsonNode fa = e.getValue().path("forwardAuth");
            if (!fa.isMissingNode()) {
                Set<String> copied = new LinkedHashSet<>();
                fa.path("authResponseHeaders").forEach(h -> copied.add(h.asText()));
                for (String h : identity) {
                    if (!copied.contains(h)) {
                        problems.add("forwardAuth " + e.getKey() + " does not copy " + h);
                    }
                }
                if (!fa.path("address").asText().endsWith("/auth/traefik")) {
                    problems.add("forwardAuth " + e.getKey() + " must call /auth/traefik (the Traefik profile)");
                }
            }
            JsonNode strip = e.getValue().path("headers").path("customRequestHeaders");
            if (!strip.isMissingNode()) {
                Set<String> wanted = new LinkedHashSet<>(identity);
                wanted.add("X-Forwarded-Tls-Client-Cert");
                for (String h : wanted) {
                    if (!strip.has(h) || !strip.get(h).asText().isEmpty()) {
                        problems.add("headers " + e.getKey() + " does not delete " + h);
                    }
                }
            }
        });
        // 3. TLS: the host serves public paths and ACME, so the certificate is asked for, not required.
        file.path("tls").path("options").properties().forEach(e -> {
            JsonNode ca = e.getValue().path("clientAuth");
            if (!ca.path("clientAuthType").asText().equals("VerifyClientCertIfGiven")) {
                problems.add("TLS options " + e.getKey() + ": public paths and ACME must stay reachable without a"
                        + " certificate (VerifyClientCertIfGiven), not " + ca.path("clientAuthType").asText());
            }
            if (ca.path("caFiles").size() != 1 || !ca.path("caFiles").get(0).asText().endsWith("/ca.crt")) {
                problems.add("TLS options " + e.getKey() + ": caFiles must be upki's ca.crt");
            }
        });
        // 4. ra-core's mode decides the scheme Traefik uses for it and for ACME.
        JsonNode raCommand = stack.compose().service("ra-core").path("command");
        List<String> args = new ArrayList<>();
        raCommand.forEach(a -> args.add(a.asText()));
        String mode = args.contains("--mode") ? args.get(args.indexOf("--mode") + 1) : "direct";
        String port = args.contains("--port") ? args.get(args.indexOf("--port") + 1) : "8000";
        String scheme = mode.equals("edge") && !args.contains("--edge-tls") ? "http" : "https";
        List<String> urls = new ArrayList<>();
        providers.values().forEach(p -> p.path("http").path("services").forEach(s ->
                s.path("loadBalancer").path("servers").forEach(u -> urls.add(u.path("url").asText()))));
        urls.add(stack.staticConfig().at("/certificatesResolvers/upki/acme/caServer").asText());
        for (String url : urls) {
            URI uri = URI.create(url);
            if (uri.getHost().equals("ra-core") && (!uri.getScheme().equals(scheme) || uri.getPort() != Integer.parseInt(port))) {
                problems.add(url + ": ra-core runs in " + mode + " mode on " + scheme + "://ra-core:" + port);
            }
        }
        // 5. TLS-ALPN-01: ra-core validates by connecting to each router's host name, which must
        //    therefore lead to Traefik on the network they share.
        Pattern host = Pattern.compile("Host\\(`([^`]+)`\\)");
        String traefik = stack.compose().traefikService();
        providers.values().forEach(p -> p.path("http").path("routers").forEach(r -> {
            Matcher h = host.matcher(r.path("rule").asText());
            while (h.find()) {
                boolean alias = false;
                for (String network : stack.compose().networksOf("ra-core")) {
                    alias |= stack.compose().networksOf(traefik).contains(network)
                            && stack.compose().namesOn(traefik, network).contains(h.group(1));
                }
                if (!alias) {
                    problems.add("host " + h.group(1) + " is no alias of traefik on ra-core's network (TLS-ALPN-01)");
                }
            }
        }));
        if (!stack.staticConfig().at("/certificatesResolvers/upki/acme/caServer").asText().endsWith("/acme/directory")) {
            problems.add("caServer must be ra-core's /acme/directory");
        }
        return problems;
    }

    /** Middleware types a router runs, chains expanded, in order. */
    private static List<String> expand(Map<String, JsonNode> providers, JsonNode names, String from) {
        List<String> types = new ArrayList<>();
        for (JsonNode n : names) {
            EdgeChecks.Ref ref = EdgeChecks.Ref.of(n.asText(), from);
            JsonNode m = providers.getOrDefault(ref.provider(), providers.get("file"))
                    .path("http").path("middlewares").path(ref.name());
            if (m.has("chain")) {
                types.addAll(expand(providers, m.path("chain").path("middlewares"), ref.provider()));
            } else {
                m.fieldNames().forEachRemaining(types::add);
            }
        }
        return types;
    }
}
