package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Issue #16 M1 in the Kubernetes manifests, as ProxyMtlsChecks for Compose: Traefik reaches the
 * auth-sidecar (forwardAuth {@code tls}) and ra-core (a ServersTransport) over mutual TLS with the proxy
 * certificate in a Secret, both processes require it, and every Secret named exists with the keys
 * Traefik reads.
 */
final class KubeProxyMtlsChecks {
    private final KubeManifests m;
    private final List<String> problems = new ArrayList<>();

    private KubeProxyMtlsChecks(KubeManifests m) {
        this.m = m;
    }

    static List<String> problems(KubeManifests m) {
        KubeProxyMtlsChecks checks = new KubeProxyMtlsChecks(m);
        checks.checkProcesses();
        checks.checkForwardAuth();
        checks.checkRoutesToRaCore();
        return checks.problems;
    }

    private void checkProcesses() {
        for (KubeManifests.Pod pod : m.pods()) {
            for (JsonNode c : pod.spec().path("containers")) {
                String module = Processes.module(c);
                List<String> args = new ArrayList<>();
                c.path("args").forEach(a -> args.add(a.asText()));
                String where = KubeManifests.id(pod.workload()) + " container " + c.path("name").asText();
                if ("auth-sidecar".equals(module) && !(args.contains("--tls-cert") && args.contains("--tls-key"))) {
                    problems.add(where + ": no --tls-cert/--tls-key: the sidecar would serve plain HTTP to anyone in the cluster");
                }
                int mode = args.indexOf("--mode");
                if ("ra-core".equals(module) && mode >= 0 && args.get(mode + 1).equals("edge") && !args.contains("--edge-tls")) {
                    problems.add(where + ": edge mode without --edge-tls serves anyone holding a sidecar assertion");
                }
            }
        }
    }

    private void checkForwardAuth() {
        for (JsonNode mw : m.ofKind("Middleware")) {
            JsonNode auth = mw.at("/spec/forwardAuth");
            if (!auth.isObject()) {
                continue;
            }
            String id = KubeManifests.id(mw);
            String ns = KubeManifests.namespace(mw);
            if (!"https".equals(URI.create(auth.path("address").asText()).getScheme())) {
                problems.add(id + ": forwardAuth.address is not HTTPS: the sidecar requires the proxy's certificate");
            }
            if (auth.at("/tls/insecureSkipVerify").asBoolean(false)) {
                problems.add(id + ": forwardAuth.tls.insecureSkipVerify: the sidecar's certificate must be verified");
            }
            secret(id + " forwardAuth.tls.caSecret", ns, auth.at("/tls/caSecret").asText(null), Set.of("tls.ca", "ca.crt"));
            secret(id + " forwardAuth.tls.certSecret", ns, auth.at("/tls/certSecret").asText(null), Set.of("tls.crt"));
            secret(id + " forwardAuth.tls.certSecret", ns, auth.at("/tls/certSecret").asText(null), Set.of("tls.key"));
        }
    }

    /** Every IngressRoute service that is ra-core: HTTPS through a transport presenting the proxy certificate. */
    private void checkRoutesToRaCore() {
        for (JsonNode r : m.ofKind("IngressRoute")) {
            String ns = KubeManifests.namespace(r);
            for (JsonNode route : r.at("/spec/routes")) {
                for (JsonNode svc : route.path("services")) {
                    if (!svc.path("name").asText().equals("ra-core")) {
                        continue;
                    }
                    String where = KubeManifests.id(r) + " route " + route.path("match").asText();
                    if (!svc.path("scheme").asText("http").equals("https")) {
                        problems.add(where + ": ra-core without scheme: https");
                    }
                    JsonNode transport = m.find("ServersTransport", ns, svc.path("serversTransport").asText(""));
                    if (transport == null) {
                        problems.add(where + ": no ServersTransport: Traefik would present no certificate to ra-core");
                        continue;
                    }
                    String tid = KubeManifests.id(transport);
                    if (transport.at("/spec/insecureSkipVerify").asBoolean(false)) {
                        problems.add(tid + ": insecureSkipVerify: ra-core's certificate must be verified");
                    }
                    if (transport.at("/spec/rootCAsSecrets").isEmpty()) {
                        problems.add(tid + ": no rootCAsSecrets (upki's ca.crt)");
                    }
                    transport.at("/spec/rootCAsSecrets").forEach(s -> secret(tid + " rootCAsSecrets", ns, s.asText(),
                            Set.of("tls.ca", "ca.crt")));
                    if (transport.at("/spec/certificatesSecrets").isEmpty()) {
                        problems.add(tid + ": no certificatesSecrets: Traefik would present no client certificate");
                    }
                    transport.at("/spec/certificatesSecrets").forEach(s -> secret(tid + " certificatesSecrets", ns,
                            s.asText(), Set.of("tls.crt")));
                }
            }
        }
    }

    /** The Secret exists (in the rendering or created by docs/DEPLOY.md) with one of {@code anyOf} among its keys. */
    private void secret(String where, String ns, String name, Set<String> anyOf) {
        if (name == null) {
            problems.add(where + ": not set");
            return;
        }
        Set<String> keys = m.secretKeys(ns, name);
        if (keys == null) {
            problems.add(where + ": Secret " + ns + "/" + name + " does not exist (neither in the manifests nor created by a"
                    + " command of docs/DEPLOY.md)");
        } else if (keys.stream().noneMatch(anyOf::contains)) {
            problems.add(where + ": Secret " + ns + "/" + name + " has none of " + anyOf + ", the keys Traefik reads");
        }
    }
}
