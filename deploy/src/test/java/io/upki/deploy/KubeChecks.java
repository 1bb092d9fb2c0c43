package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cross-references among the core objects of one rendering, checked the way Kubernetes resolves them:
 * every Service, Secret (and key), ConfigMap (and key), PersistentVolumeClaim, volume and port that
 * something names exists; workload, Service and PodDisruptionBudget selectors select pods; probes
 * hit a port of the container and a route its process serves; the port a process is told to listen
 * on is one its container declares. No Secret with data is committed.
 */
final class KubeChecks {
    private static final Pattern LISTEN = Pattern.compile("--listen[ =\"',]+[^\"',\\s]*:(\\d+)");
    private static final Pattern PORT = Pattern.compile("--port[\"',\\s=]+(\\d+)");
    /** Options naming a directory or file of the process, and their value (JSON list or shell text). */
    private static final Pattern PATH_FLAG = Pattern.compile(
            "--(data-dir|state-dir|out|ca-cert|trust-anchor|passphrase-file|admins|intermediates|ca-public-key|client-key|key-file)[\"',\\s=]+(/[^\"'\\s]+)");

    private final KubeManifests m;
    private final List<String> problems = new ArrayList<>();

    KubeChecks(KubeManifests m) {
        this.m = m;
    }

    List<String> problems() {
        for (KubeManifests.Pod pod : m.pods()) {
            checkPod(pod);
        }
        checkServices();
        checkDisruptionBudgets();
        for (JsonNode s : m.ofKind("Secret")) {
            if (s.has("data") || s.has("stringData")) {
                problems.add(KubeManifests.id(s) + ": a Secret with data in the manifests; secrets are created with"
                        + " kubectl (docs/DEPLOY.md), never committed");
            }
        }
        return problems;
    }

    private void checkPod(KubeManifests.Pod pod) {
        JsonNode w = pod.workload();
        String name = pod.name();
        if (!KubeManifests.matches(w.at("/spec/selector/matchLabels"), pod.labels()) || w.at("/spec/selector/matchLabels").isEmpty()) {
            problems.add(name + ": spec.selector does not select its own pod template " + pod.labels());
        }
        if (w.path("kind").asText().equals("StatefulSet")) {
            JsonNode svc = m.find("Service", pod.namespace(), w.at("/spec/serviceName").asText());
            if (svc == null || !svc.at("/spec/clusterIP").asText().equals("None")) {
                problems.add(name + ": serviceName " + w.at("/spec/serviceName").asText() + " is no headless Service");
            }
        }
        Set<String> volumes = new LinkedHashSet<>();
        w.at("/spec/volumeClaimTemplates").forEach(t -> volumes.add(t.at("/metadata/name").asText()));
        for (JsonNode v : pod.spec().path("volumes")) {
            volumes.add(v.path("name").asText());
            checkVolume(name, pod.namespace(), v);
        }
        for (JsonNode c : pod.containers()) {
            String where = name + " container " + c.path("name").asText();
            for (JsonNode mount : c.path("volumeMounts")) {
                if (!volumes.contains(mount.path("name").asText())) {
                    problems.add(where + ": volume " + mount.path("name").asText() + " does not exist");
                }
            }
            checkEnvironment(where, pod.namespace(), c);
            checkProbes(where, c);
            checkListenPort(where, c);
            checkPaths(where, c);
        }
        checkRestricted(name, pod);
        boolean claims = w.at("/spec/volumeClaimTemplates").size() > 0
                || pod.spec().path("volumes").findParent("persistentVolumeClaim") != null;
        JsonNode security = pod.spec().path("securityContext");
        if (claims && security.has("fsGroup") && !security.path("fsGroupChangePolicy").asText().equals("OnRootMismatch")) {
            problems.add(name + ": fsGroup without fsGroupChangePolicy: OnRootMismatch; the kubelet would make every file"
                    + " on the volume group-readable at each start, key files included (ca-server refuses such a ca.key)");
        }
    }

    /**
     * What the namespace's Pod Security Standard "restricted" (namespace.yaml) would refuse at admission,
     * found here since no cluster runs these tests; plus a read-only root and no API token, which
     * none of upki's processes needs.
     */
    private void checkRestricted(String name, KubeManifests.Pod pod) {
        JsonNode sc = pod.spec().path("securityContext");
        if (!sc.path("runAsNonRoot").asBoolean() || !sc.at("/seccompProfile/type").asText().equals("RuntimeDefault")) {
            problems.add(name + ": the pod needs securityContext runAsNonRoot: true and seccompProfile RuntimeDefault");
        }
        if (!pod.spec().path("automountServiceAccountToken").isBoolean() || pod.spec().path("automountServiceAccountToken").asBoolean()) {
            problems.add(name + ": automountServiceAccountToken must be false (no upki process talks to the API server)");
        }
        for (JsonNode c : pod.containers()) {
            JsonNode csc = c.path("securityContext");
            boolean dropAll = false;
            for (JsonNode d : csc.at("/capabilities/drop")) {
                dropAll |= d.asText().equals("ALL");
            }
            if (!csc.path("allowPrivilegeEscalation").isBoolean() || csc.path("allowPrivilegeEscalation").asBoolean()
                    || !dropAll || !csc.path("readOnlyRootFilesystem").asBoolean() || csc.path("privileged").asBoolean()
                    || csc.has("runAsUser") && csc.path("runAsUser").asInt() == 0) {
                problems.add(name + " container " + c.path("name").asText() + ": securityContext must set allowPrivilegeEscalation:"
                        + " false, capabilities.drop [ALL] and readOnlyRootFilesystem: true");
            }
        }
    }

    /**
     * Every path a process is given lives on a volume of its container (the root file system is
     * read-only, and what is not on a volume is lost); a --data-dir strictly inside the mount, because
     * ca-server and ra-core set their data directory to 0700, which they cannot do on a volume root
     * that belongs to root.
     */
    private void checkPaths(String where, JsonNode c) {
        if (Processes.module(c) == null) {
            return;
        }
        String text = c.path("command").toString() + " " + c.path("args").toString();
        Matcher p = PATH_FLAG.matcher(text);
        while (p.find()) {
            String flag = p.group(1);
            String path = p.group(2);
            String mount = null;
            for (JsonNode vm : c.path("volumeMounts")) {
                String mp = vm.path("mountPath").asText();
                if (path.equals(mp) || path.startsWith(mp.endsWith("/") ? mp : mp + "/")) {
                    mount = mp;
                }
            }
            if (mount == null) {
                problems.add(where + ": --" + flag + " " + path + " is on no volume of the container");
            } else if (flag.equals("data-dir") && path.equals(mount)) {
                problems.add(where + ": --data-dir " + path + " is a volume's mount point; the process sets its data"
                        + " directory to 0700 and must own it: use a directory inside the volume");
            }
        }
    }

    private void checkVolume(String where, String ns, JsonNode v) {
        JsonNode secret = v.path("secret");
        if (!secret.isMissingNode()) {
            checkKeys(where + " volume " + v.path("name").asText(), "Secret", ns, secret.path("secretName").asText(),
                    secret.path("items").findValuesAsText("key"), secret.path("optional").asBoolean());
        }
        JsonNode cm = v.path("configMap");
        if (!cm.isMissingNode()) {
            checkKeys(where + " volume " + v.path("name").asText(), "ConfigMap", ns, cm.path("name").asText(),
                    cm.path("items").findValuesAsText("key"), cm.path("optional").asBoolean());
        }
        JsonNode pvc = v.path("persistentVolumeClaim");
        if (!pvc.isMissingNode() && m.find("PersistentVolumeClaim", ns, pvc.path("claimName").asText()) == null) {
            problems.add(where + ": PersistentVolumeClaim " + pvc.path("claimName").asText() + " does not exist");
        }
    }

    private void checkEnvironment(String where, String ns, JsonNode c) {
        for (JsonNode e : c.path("env")) {
            JsonNode s = e.at("/valueFrom/secretKeyRef");
            if (!s.isMissingNode()) {
                checkKeys(where + " env " + e.path("name").asText(), "Secret", ns, s.path("name").asText(),
                        List.of(s.path("key").asText()), s.path("optional").asBoolean());
            }
            JsonNode cm = e.at("/valueFrom/configMapKeyRef");
            if (!cm.isMissingNode()) {
                checkKeys(where + " env " + e.path("name").asText(), "ConfigMap", ns, cm.path("name").asText(),
                        List.of(cm.path("key").asText()), cm.path("optional").asBoolean());
            }
        }
        for (JsonNode from : c.path("envFrom")) {
            if (from.has("configMapRef")) {
                checkKeys(where + " envFrom", "ConfigMap", ns, from.at("/configMapRef/name").asText(), List.of(),
                        from.at("/configMapRef/optional").asBoolean());
            }
            if (from.has("secretRef")) {
                checkKeys(where + " envFrom", "Secret", ns, from.at("/secretRef/name").asText(), List.of(),
                        from.at("/secretRef/optional").asBoolean());
            }
        }
    }

    /** A Secret or ConfigMap and the keys taken from it; a missing optional one is fine, a wrong key never. */
    private void checkKeys(String where, String kind, String ns, String name, List<String> keys, boolean optional) {
        Set<String> present;
        if (kind.equals("Secret")) {
            present = m.secretKeys(ns, name);
        } else {
            present = m.configMapKeys(ns, name);
        }
        if (present == null) {
            if (!optional) {
                problems.add(where + ": " + kind + " " + ns + "/" + name + " does not exist"
                        + " (neither in the manifests nor created by a command of docs/DEPLOY.md)");
            }
            return;
        }
        for (String k : keys) {
            if (!present.contains(k)) {
                problems.add(where + ": " + kind + " " + ns + "/" + name + " has no key " + k + " (it has " + present + ")");
            }
        }
    }

    private void checkProbes(String where, JsonNode c) {
        String module = Processes.module(c);
        for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode probe = c.path(kind);
            for (String handler : List.of("httpGet", "tcpSocket")) {
                JsonNode h = probe.path(handler);
                if (h.isMissingNode()) {
                    continue;
                }
                if (containerPort(c, h.path("port")) == null) {
                    problems.add(where + ": " + kind + " port " + h.path("port").asText() + " is not a port of the container");
                }
                String path = h.path("path").asText("/").replaceFirst("\\?.*", "");
                if (handler.equals("httpGet") && module != null && !Processes.serves(module, path)) {
                    problems.add(where + ": " + kind + " path " + path + " is no route of " + module);
                }
            }
        }
    }

    /** The port --listen host:port or --port N tells the process to use must be declared (ca-server: +1, +2 too). */
    private void checkListenPort(String where, JsonNode c) {
        String module = Processes.module(c);
        if (module == null) {
            return;
        }
        String args = c.path("command").toString() + " " + c.path("args").toString();
        List<Integer> ports = new ArrayList<>();
        Matcher l = LISTEN.matcher(args);
        if (l.find()) {
            ports.add(Integer.parseInt(l.group(1)));
        }
        Matcher p = PORT.matcher(args);
        if (p.find()) {
            int port = Integer.parseInt(p.group(1));
            ports.add(port);
            if (module.equals("ca-server")) {
                ports.add(port + 1);
                ports.add(port + 2);
            }
        }
        for (int port : ports) {
            if (containerPort(c, JsonNodeFactory.instance.numberNode(port)) == null) {
                problems.add(where + ": the process listens on " + port + ", which the container does not declare");
            }
        }
    }

    /** The container port a probe or Service names (by name or number), or null. */
    static JsonNode containerPort(JsonNode container, JsonNode ref) {
        for (JsonNode p : container.path("ports")) {
            if (ref.isTextual() && !ref.asText().matches("\\d+") ? p.path("name").asText().equals(ref.asText())
                    : p.path("containerPort").asInt() == ref.asInt()) {
                return p;
            }
        }
        return null;
    }

    private void checkServices() {
        for (JsonNode s : m.ofKind("Service")) {
            JsonNode selector = s.at("/spec/selector");
            List<KubeManifests.Pod> pods = m.selected(KubeManifests.namespace(s), selector);
            if (selector.isEmpty() || pods.isEmpty()) {
                problems.add(KubeManifests.id(s) + ": selector " + selector + " selects no pod");
                continue;
            }
            for (JsonNode port : s.at("/spec/ports")) {
                JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
                for (KubeManifests.Pod pod : pods) {
                    boolean found = false;
                    for (JsonNode c : pod.spec().path("containers")) {
                        found |= containerPort(c, target) != null;
                    }
                    if (!found) {
                        problems.add(KubeManifests.id(s) + ": targetPort " + target.asText() + " is no port of " + pod.name());
                    }
                }
            }
        }
    }

    private void checkDisruptionBudgets() {
        for (JsonNode b : m.ofKind("PodDisruptionBudget")) {
            JsonNode selector = b.at("/spec/selector/matchLabels");
            if (selector.isEmpty() || m.selected(KubeManifests.namespace(b), selector).isEmpty()) {
                problems.add(KubeManifests.id(b) + ": selector " + selector + " selects no pod");
            }
        }
    }
}
