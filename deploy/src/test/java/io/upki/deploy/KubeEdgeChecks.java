package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Traefik objects of one rendering, resolved as Traefik's kubernetesCRD provider does: every
 * Middleware (chain members included), Service and port, ServersTransport, TLSOption and Secret they
 * name exists; forwardAuth's address is a Service of this rendering and a route of the process behind
 * it; every host keeps one TLS option. And they mirror deploy/traefik/dynamic/upki.yml, the Compose
 * edge: the same routes (rule, middlewares once chains are expanded, TLS options, resolver, entry
 * points), the same middleware settings and the same client certificate policy.
 */
final class KubeEdgeChecks {
    private static final Pattern HOST = Pattern.compile("Host\\(`([^`]+)`\\)");

    private final KubeManifests m;
    private final JsonNode file;
    private final List<String> problems = new ArrayList<>();

    /** @param fileProvider deploy/traefik/dynamic merged (Stack.fileProvider), the configuration to mirror */
    KubeEdgeChecks(KubeManifests m, JsonNode fileProvider) {
        this.m = m;
        this.file = fileProvider;
    }

    List<String> problems() {
        Map<String, String> tlsOfHost = new LinkedHashMap<>();
        for (JsonNode r : m.ofKind("IngressRoute")) {
            checkIngressRoute(r, tlsOfHost);
        }
        for (JsonNode mw : m.ofKind("Middleware")) {
            checkMiddleware(mw);
        }
        for (JsonNode o : m.ofKind("TLSOption")) {
            checkTlsOption(o);
        }
        checkFileRoutersAreMirrored();
        return problems;
    }

    private void checkIngressRoute(JsonNode r, Map<String, String> tlsOfHost) {
        String id = KubeManifests.id(r);
        String ns = KubeManifests.namespace(r);
        String options = r.at("/spec/tls/options/name").asText("default");
        String optionsNs = r.at("/spec/tls/options/namespace").asText(ns);
        if (r.at("/spec/tls/options").isObject() && m.find("TLSOption", optionsNs, options) == null) {
            problems.add(id + ": TLSOption " + optionsNs + "/" + options + " does not exist");
        }
        int i = 0;
        for (JsonNode route : r.at("/spec/routes")) {
            String where = id + " route " + i++ + " (" + route.path("match").asText() + ")";
            for (JsonNode ref : route.path("middlewares")) {
                String mwNs = ref.path("namespace").asText(ns);
                if (m.find("Middleware", mwNs, ref.path("name").asText()) == null) {
                    problems.add(where + ": Middleware " + mwNs + "/" + ref.path("name").asText() + " does not exist");
                }
            }
            for (JsonNode svc : route.path("services")) {
                checkServiceRef(where, svc.path("namespace").asText(ns), svc.path("name").asText(), svc.path("port"));
                if (svc.has("serversTransport") && m.find("ServersTransport", ns, svc.path("serversTransport").asText()) == null) {
                    problems.add(where + ": ServersTransport " + ns + "/" + svc.path("serversTransport").asText() + " does not exist");
                }
            }
            Matcher h = HOST.matcher(route.path("match").asText());
            while (h.find()) {
                String before = tlsOfHost.putIfAbsent(h.group(1), optionsNs + "/" + options);
                if (before != null && !before.equals(optionsNs + "/" + options)) {
                    problems.add(where + ": host " + h.group(1) + " has TLS options " + before + " and " + optionsNs + "/"
                            + options + "; Traefik would fall back to default for all of them");
                }
            }
        }
    }

    /** A Service of this rendering that has the port, by number or name; null when there is none. */
    private JsonNode checkServiceRef(String where, String ns, String name, JsonNode port) {
        JsonNode s = m.find("Service", ns, name);
        if (s == null) {
            problems.add(where + ": Service " + ns + "/" + name + " does not exist");
            return null;
        }
        for (JsonNode p : s.at("/spec/ports")) {
            if (port.isTextual() && !port.asText().matches("\\d+") ? p.path("name").asText().equals(port.asText())
                    : p.path("port").asInt() == port.asInt()) {
                return p;
            }
        }
        problems.add(where + ": Service " + ns + "/" + name + " has no port " + port.asText());
        return null;
    }

    private void checkMiddleware(JsonNode mw) {
        String id = KubeManifests.id(mw);
        String ns = KubeManifests.namespace(mw);
        for (JsonNode ref : mw.at("/spec/chain/middlewares")) {
            String refNs = ref.path("namespace").asText(ns);
            if (m.find("Middleware", refNs, ref.path("name").asText()) == null) {
                problems.add(id + ": chained Middleware " + refNs + "/" + ref.path("name").asText() + " does not exist");
            }
        }
        JsonNode auth = mw.at("/spec/forwardAuth");
        if (auth.isObject()) {
            URI address = URI.create(auth.path("address").asText());
            String[] host = address.getHost() == null ? new String[] {""} : address.getHost().split("\\.");
            // Traefik runs in another namespace: svc.namespace.svc[.cluster.local], never a bare name.
            if (host.length < 3 || !host[2].equals("svc")) {
                problems.add(id + ": forwardAuth.address " + address + " is not <service>.<namespace>.svc, which Traefik"
                        + " resolves from its own namespace");
                return;
            }
            int port = address.getPort() < 0 ? 80 : address.getPort();
            JsonNode sp = checkServiceRef(id + " forwardAuth.address", host[1], host[0], JsonNodeFactory.instance.numberNode(port));
            if (sp != null) {
                JsonNode s = m.find("Service", host[1], host[0]);
                for (KubeManifests.Pod pod : m.selected(host[1], s.at("/spec/selector"))) {
                    for (JsonNode c : pod.spec().path("containers")) {
                        String module = Processes.module(c);
                        if (module != null && !Processes.serves(module, address.getPath())) {
                            problems.add(id + ": forwardAuth.address path " + address.getPath() + " is no route of " + module);
                        }
                    }
                }
            }
            mirror(id, "forwardAuth", auth, mw.at("/metadata/name").asText(), "address");
            String path = file.at("/http/middlewares/" + mw.at("/metadata/name").asText() + "/forwardAuth/address").asText(null);
            if (path != null && !URI.create(path).getPath().equals(address.getPath())) {
                problems.add(id + ": forwardAuth path " + address.getPath() + " differs from upki.yml's " + URI.create(path).getPath());
            }
        }
        for (String type : List.of("headers", "passTLSClientCert")) {
            if (mw.at("/spec/" + type).isObject()) {
                mirror(id, type, mw.at("/spec/" + type), mw.at("/metadata/name").asText(), null);
            }
        }
    }

    /**
     * The same middleware of upki.yml must have the same settings (but {@code except}, and forwardAuth's
     * {@code tls}, which names files there and Secrets here: KubeProxyMtlsChecks).
     */
    private void mirror(String id, String type, JsonNode crd, String name, String except) {
        JsonNode fileMw = file.at("/http/middlewares/" + name);
        if (fileMw.isMissingNode()) {
            problems.add(id + ": no middleware " + name + " in deploy/traefik/dynamic to mirror");
            return;
        }
        JsonNode want = fileMw.path(type).deepCopy();
        JsonNode have = crd.deepCopy();
        if (except != null) {
            ((ObjectNode) want).remove(except);
            ((ObjectNode) have).remove(except);
        }
        if (type.equals("forwardAuth")) {
            ((ObjectNode) want).remove("tls");
            ((ObjectNode) have).remove("tls");
        }
        if (!want.equals(have)) {
            problems.add(id + ": " + type + " " + have + " differs from upki.yml's " + name + ": " + want);
        }
    }

    private void checkTlsOption(JsonNode o) {
        String id = KubeManifests.id(o);
        String ns = KubeManifests.namespace(o);
        for (JsonNode s : o.at("/spec/clientAuth/secretNames")) {
            var keys = m.secretKeys(ns, s.asText());
            if (keys == null) {
                problems.add(id + ": Secret " + ns + "/" + s.asText() + " does not exist (neither in the manifests nor"
                        + " created by a command of docs/DEPLOY.md)");
            } else if (!keys.contains("ca.crt") && !keys.contains("tls.ca")) {
                problems.add(id + ": Secret " + ns + "/" + s.asText() + " has neither ca.crt nor tls.ca, the keys Traefik reads");
            }
        }
        JsonNode fileOption = file.at("/tls/options/" + o.at("/metadata/name").asText());
        if (fileOption.isMissingNode()) {
            problems.add(id + ": no TLS options " + o.at("/metadata/name").asText() + " in deploy/traefik/dynamic to mirror");
            return;
        }
        for (String p : List.of("/minVersion", "/clientAuth/clientAuthType")) {
            if (!fileOption.at(p).equals(o.at("/spec" + p))) {
                problems.add(id + ": " + p.substring(1) + " " + o.at("/spec" + p).asText() + " differs from upki.yml's "
                        + fileOption.at(p).asText());
            }
        }
    }

    /** Every router of upki.yml is a route here, with the same middlewares, TLS and entry points; and back. */
    private void checkFileRoutersAreMirrored() {
        Map<String, JsonNode[]> byRule = new LinkedHashMap<>();
        for (JsonNode r : m.ofKind("IngressRoute")) {
            for (JsonNode route : r.at("/spec/routes")) {
                byRule.put(route.path("match").asText(), new JsonNode[] {r, route});
            }
        }
        Map<String, JsonNode> fileRules = new LinkedHashMap<>();
        file.at("/http/routers").properties().forEach(e -> fileRules.put(e.getValue().path("rule").asText(), e.getValue()));
        fileRules.forEach((rule, router) -> {
            JsonNode[] found = byRule.get(rule);
            if (found == null) {
                problems.add("upki.yml's route " + rule + " has no IngressRoute route");
                return;
            }
            JsonNode r = found[0];
            List<String> want = new ArrayList<>();
            router.path("middlewares").forEach(x -> want.addAll(expandFile(x.asText())));
            List<String> have = new ArrayList<>();
            found[1].path("middlewares").forEach(x -> have.addAll(expandCrd(KubeManifests.namespace(r), x.path("name").asText())));
            if (!want.equals(have)) {
                problems.add(KubeManifests.id(r) + " route " + rule + ": middlewares " + have + " but upki.yml has " + want);
            }
            List<String> checks = List.of(
                    router.at("/tls/options").asText() + "=" + r.at("/spec/tls/options/name").asText(),
                    router.at("/tls/certResolver").asText() + "=" + r.at("/spec/tls/certResolver").asText(),
                    router.path("entryPoints").toString() + "=" + r.at("/spec/entryPoints").toString());
            for (String c : checks) {
                String[] pair = c.split("=", 2);
                if (!pair[0].equals(pair[1])) {
                    problems.add(KubeManifests.id(r) + " route " + rule + ": " + pair[1] + " but upki.yml has " + pair[0]);
                }
            }
        });
        byRule.forEach((rule, found) -> {
            if (!fileRules.containsKey(rule)) {
                problems.add(KubeManifests.id(found[0]) + " route " + rule + " is not in upki.yml");
            }
        });
    }

    private List<String> expandFile(String name) {
        JsonNode chain = file.at("/http/middlewares/" + name + "/chain/middlewares");
        if (!chain.isArray()) {
            return List.of(name);
        }
        List<String> all = new ArrayList<>();
        chain.forEach(x -> all.addAll(expandFile(x.asText())));
        return all;
    }

    private List<String> expandCrd(String ns, String name) {
        JsonNode mw = m.find("Middleware", ns, name);
        if (mw == null || !mw.at("/spec/chain/middlewares").isArray()) {
            return List.of(name);
        }
        List<String> all = new ArrayList<>();
        mw.at("/spec/chain/middlewares").forEach(x -> all.addAll(expandCrd(x.path("namespace").asText(ns), x.path("name").asText())));
        return all;
    }
}
