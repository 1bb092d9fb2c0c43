package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NetworkPolicies of one rendering, evaluated as Kubernetes does for ingress: every selector selects
 * pods and every named port exists; ingress is denied by default; each process reaches every Service
 * its command line names, on that port; Traefik reaches ra-core and the auth-sidecar; and nothing else
 * gets in: the CA and the publisher admit only upki's own pods, the sidecar and ra-core only Traefik.
 */
final class KubeNetworkChecks {
    /** tcp://host:port and http(s)://host:port in a command line. */
    private static final Pattern ENDPOINT = Pattern.compile("(?:tcp|https?)://([a-z0-9.-]+):(\\d+)");
    /** {@code --ca tcp://a:5000[,tcp://b:5000]}: each CA's registration and event feed are its port + 1 and + 2. */
    private static final Pattern CA_LIST = Pattern.compile("\"--ca\",\\s*\"([^\"]+)\"");
    static final String TRAEFIK_LABEL = "app.kubernetes.io/name";

    private final KubeManifests m;
    private final List<String> problems = new ArrayList<>();

    KubeNetworkChecks(KubeManifests m) {
        this.m = m;
    }

    List<String> problems() {
        List<JsonNode> policies = m.ofKind("NetworkPolicy");
        if (policies.stream().noneMatch(p -> p.at("/spec/podSelector").isEmpty() && p.at("/spec/ingress").isMissingNode()
                && p.at("/spec/policyTypes").toString().contains("Ingress"))) {
            problems.add("no NetworkPolicy denies ingress by default (podSelector {}, policyTypes [Ingress], no rules)");
        }
        for (JsonNode p : policies) {
            checkPolicy(p);
        }
        for (KubeManifests.Pod client : m.pods()) {
            for (JsonNode c : client.spec().path("containers")) {
                checkEndpoints(client, c);
            }
        }
        checkTraefikReaches();
        return problems;
    }

    private void checkPolicy(JsonNode p) {
        String id = KubeManifests.id(p);
        String ns = KubeManifests.namespace(p);
        JsonNode selector = p.at("/spec/podSelector/matchLabels");
        List<KubeManifests.Pod> targets = p.at("/spec/podSelector").isEmpty() ? m.pods() : m.selected(ns, selector);
        if (targets.isEmpty()) {
            problems.add(id + ": podSelector " + selector + " selects no pod");
        }
        boolean edge = targets.stream().anyMatch(t -> runs(t, "auth-sidecar") || runs(t, "ra-core"));
        for (JsonNode rule : p.at("/spec/ingress")) {
            if (!rule.has("from") || rule.path("from").isEmpty()) {
                problems.add(id + ": an ingress rule without `from` admits every source");
            }
            for (JsonNode peer : rule.path("from")) {
                if (peer.has("ipBlock")) {
                    problems.add(id + ": ipBlock peers are not expected here");
                } else if (peer.has("namespaceSelector")) {
                    if (!edge || !traefik(peer)) {
                        problems.add(id + ": admits " + peer + " from another namespace; only Traefik may reach the"
                                + " auth-sidecar and ra-core, and nothing outside may reach the others");
                    }
                } else {
                    JsonNode labels = peer.at("/podSelector/matchLabels");
                    if (labels.isEmpty() || m.selected(ns, labels).isEmpty()) {
                        problems.add(id + ": peer podSelector " + labels + " selects no pod");
                    } else if (edge) {
                        problems.add(id + ": admits pods " + labels + "; only Traefik may reach the auth-sidecar and ra-core");
                    }
                }
            }
            for (JsonNode port : rule.path("ports")) {
                for (KubeManifests.Pod t : targets) {
                    if (containerPort(t, port.path("port")) == null) {
                        problems.add(id + ": port " + port.path("port").asText() + " is no port of " + t.name());
                    }
                }
            }
        }
    }

    /**
     * Each tcp:// or http:// endpoint is allowed, and so are the ports each process derives from its
     * {@code --ca} list: registration (port + 1: ra-core and the auth-sidecar) and the event feed (port + 2,
     * unless {@code --ca-events}/{@code --events} names it).
     */
    private void checkEndpoints(KubeManifests.Pod client, JsonNode c) {
        String args = c.path("command").toString() + " " + c.path("args").toString();
        List<String[]> endpoints = new ArrayList<>();
        Matcher e = ENDPOINT.matcher(args);
        while (e.find()) {
            endpoints.add(new String[] {e.group(1), e.group(2)});
        }
        String module = Processes.module(c);
        Matcher list = CA_LIST.matcher(args);
        if (list.find() && module != null) {
            boolean registers = module.equals("ra-core") || module.equals("auth-sidecar");
            boolean events = !args.contains("\"--ca-events\"") && !args.contains("\"--events\"");
            Matcher ca = ENDPOINT.matcher(list.group(1));
            while (ca.find()) {
                int port = Integer.parseInt(ca.group(2));
                if (registers) {
                    endpoints.add(new String[] {ca.group(1), String.valueOf(port + 1)});
                }
                if (events) {
                    endpoints.add(new String[] {ca.group(1), String.valueOf(port + 2)});
                }
            }
        }
        for (String[] ep : endpoints) {
            String where = client.name() + " -> " + ep[0] + ":" + ep[1];
            String[] host = serviceOf(ep[0], client.namespace(), where);
            if (host == null) {
                continue;
            }
            String ns = host[1];
            JsonNode s = m.find("Service", ns, host[0]);
            JsonNode sp = null;
            if (s != null) {
                for (JsonNode x : s.at("/spec/ports")) {
                    if (x.path("port").asInt() == Integer.parseInt(ep[1])) {
                        sp = x;
                    }
                }
            }
            if (sp == null) {
                problems.add(where + ": no Service " + ns + "/" + host[0] + " with port " + ep[1]);
                continue;
            }
            JsonNode target = sp.has("targetPort") ? sp.get("targetPort") : sp.get("port");
            for (KubeManifests.Pod t : m.selected(ns, s.at("/spec/selector"))) {
                if (!allows(t, target, peer -> !peer.has("namespaceSelector") && !peer.has("ipBlock")
                        && KubeManifests.matches(peer.at("/podSelector/matchLabels"), client.labels()))) {
                    problems.add(where + ": the NetworkPolicies of " + t.name() + " do not let " + client.name() + " in");
                }
            }
        }
    }

    /**
     * The Service a host name reaches, {name, namespace}: {@code service[.namespace[.svc...]]}, or a
     * StatefulSet pod by its headless Service, {@code pod.service[.namespace[.svc...]]}, whose pod must
     * exist (ordinal below the replicas); null, with the problem noted, for a pod name that names none.
     */
    private String[] serviceOf(String host, String clientNs, String where) {
        String[] labels = host.split("\\.");
        if (labels.length > 1) {
            String ns = labels.length > 2 && !labels[2].equals("svc") ? labels[2] : clientNs;
            JsonNode headless = m.find("Service", ns, labels[1]);
            if (headless != null && "None".equals(headless.at("/spec/clusterIP").asText())) {
                for (JsonNode set : m.ofKind("StatefulSet")) {
                    String name = set.at("/metadata/name").asText();
                    if (KubeManifests.namespace(set).equals(ns) && set.at("/spec/serviceName").asText().equals(labels[1])
                            && labels[0].startsWith(name + "-")) {
                        String ordinal = labels[0].substring(name.length() + 1);
                        if (!ordinal.matches("\\d+") || Integer.parseInt(ordinal) >= set.at("/spec/replicas").asInt(1)) {
                            problems.add(where + ": no pod " + labels[0] + " (StatefulSet " + name + " has "
                                    + set.at("/spec/replicas").asInt(1) + " replicas)");
                            return null;
                        }
                        return new String[] {labels[1], ns};
                    }
                }
            }
            return new String[] {labels[0], labels[1]};
        }
        return new String[] {labels[0], clientNs};
    }

    /** The Services of IngressRoutes and forwardAuth must admit Traefik's pods on their target port. */
    private void checkTraefikReaches() {
        List<String[]> services = new ArrayList<>();
        for (JsonNode r : m.ofKind("IngressRoute")) {
            r.at("/spec/routes").forEach(route -> route.path("services").forEach(s -> services.add(new String[] {
                s.path("namespace").asText(KubeManifests.namespace(r)), s.path("name").asText(), s.path("port").asText()})));
        }
        for (JsonNode mw : m.ofKind("Middleware")) {
            String address = mw.at("/spec/forwardAuth/address").asText("");
            Matcher a = Pattern.compile("https?://([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc[a-z.]*:(\\d+)").matcher(address);
            if (a.find()) {
                services.add(new String[] {a.group(2), a.group(1), a.group(3)});
            }
        }
        for (String[] ref : services) {
            JsonNode s = m.find("Service", ref[0], ref[1]);
            if (s == null) {
                continue; // KubeEdgeChecks reports it
            }
            for (JsonNode sp : s.at("/spec/ports")) {
                if (!(sp.path("port").asText().equals(ref[2]) || sp.path("name").asText().equals(ref[2]))) {
                    continue;
                }
                JsonNode target = sp.has("targetPort") ? sp.get("targetPort") : sp.get("port");
                for (KubeManifests.Pod t : m.selected(ref[0], s.at("/spec/selector"))) {
                    if (!allows(t, target, KubeNetworkChecks::traefik)) {
                        problems.add("Traefik -> " + ref[0] + "/" + ref[1] + ":" + ref[2] + ": the NetworkPolicies of "
                                + t.name() + " do not let Traefik in");
                    }
                }
            }
        }
    }

    /** A peer that is Traefik: its namespace by label, and its pods by the chart's name label. */
    static boolean traefik(JsonNode peer) {
        return !peer.at("/namespaceSelector/matchLabels").isEmpty()
                && peer.at("/podSelector/matchLabels/" + TRAEFIK_LABEL.replace("/", "~1")).asText().equals("traefik");
    }

    /** Whether ingress to {@code target} on {@code port} (Service targetPort) from a peer is allowed. */
    private boolean allows(KubeManifests.Pod target, JsonNode port, Predicate<JsonNode> peerMatches) {
        JsonNode cp = containerPort(target, port);
        boolean isolated = false;
        for (JsonNode p : m.ofKind("NetworkPolicy")) {
            if (!KubeManifests.namespace(p).equals(target.namespace())
                    || !KubeManifests.matches(p.at("/spec/podSelector/matchLabels"), target.labels())
                    || !p.at("/spec/policyTypes").toString().contains("Ingress")) {
                continue;
            }
            isolated = true;
            for (JsonNode rule : p.at("/spec/ingress")) {
                boolean peerOk = !rule.has("from");
                for (JsonNode peer : rule.path("from")) {
                    peerOk |= peerMatches.test(peer);
                }
                boolean portOk = !rule.has("ports");
                for (JsonNode rp : rule.path("ports")) {
                    portOk |= cp != null && cp.equals(containerPort(target, rp.path("port")));
                }
                if (peerOk && portOk) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static JsonNode containerPort(KubeManifests.Pod pod, JsonNode ref) {
        for (JsonNode c : pod.spec().path("containers")) {
            JsonNode p = KubeChecks.containerPort(c, ref);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static boolean runs(KubeManifests.Pod pod, String module) {
        for (JsonNode c : pod.spec().path("containers")) {
            if (module.equals(Processes.module(c))) {
                return true;
            }
        }
        return false;
    }
}
