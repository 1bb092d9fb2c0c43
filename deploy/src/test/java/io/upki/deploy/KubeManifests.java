package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rendering of deploy/kubernetes (the base or an overlay): its objects, and the Secrets and
 * ConfigMaps that docs/DEPLOY.md tells the user to create with {@code kubectl create secret} or
 * {@code kubectl create configmap} (secrets are never in the repository, and the CA's CURVE public key
 * exists only once the CA has started, so they are known only from those commands).
 */
record KubeManifests(String source, List<JsonNode> objects, Map<String, Set<String>> documentedSecrets,
        Map<String, Set<String>> documentedConfigMaps) {
    private static final Pattern CREATE_SECRET = Pattern.compile(
            "kubectl -n (\\S+) create secret generic (\\S+)((?: --from-(?:file|literal)=\\S+)+)");
    private static final Pattern CREATE_CONFIGMAP = Pattern.compile(
            "kubectl -n (\\S+) create configmap (\\S+)((?: --from-(?:file|literal)=\\S+)+)");
    private static final Pattern FROM = Pattern.compile("--from-(file|literal)=(\\S+)");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet");

    /** A pod template of a workload: where its labels and spec are. */
    record Pod(JsonNode workload, String namespace, JsonNode labels, JsonNode spec) {
        String name() {
            return workload.path("kind").asText() + "/" + workload.at("/metadata/name").asText();
        }

        /** Containers and init containers. */
        List<JsonNode> containers() {
            List<JsonNode> all = new ArrayList<>();
            spec.path("initContainers").forEach(all::add);
            spec.path("containers").forEach(all::add);
            return all;
        }
    }

    /** With the ConfigMaps docs/DEPLOY.md creates. */
    KubeManifests(String source, List<JsonNode> objects, Map<String, Set<String>> documentedSecrets) {
        this(source, objects, documentedSecrets, createdConfigMaps());
    }

    static KubeManifests base() {
        return new KubeManifests("base", Kustomize.base(Kustomize.dir().resolve("base")), documented());
    }

    /** An overlay rendered by kubectl (skipped with the reason where there is no kubectl). */
    static KubeManifests overlay(String name) {
        return new KubeManifests("overlays/" + name, Kustomize.render(Kustomize.overlay(name)).objects(), documented());
    }

    /** {@code kubectl -n NS create secret generic NAME --from-file=KEY=PATH ...} lines of docs/DEPLOY.md. */
    static Map<String, Set<String>> documented() {
        return documented(Repo.read(Repo.root().resolve("docs/DEPLOY.md")));
    }

    static Map<String, Set<String>> documented(String text) {
        return created(CREATE_SECRET, text);
    }

    /** {@code kubectl -n NS create configmap NAME --from-file=KEY=PATH ...} lines of docs/DEPLOY.md. */
    static Map<String, Set<String>> createdConfigMaps() {
        return createdConfigMaps(Repo.read(Repo.root().resolve("docs/DEPLOY.md")));
    }

    static Map<String, Set<String>> createdConfigMaps(String text) {
        return created(CREATE_CONFIGMAP, text);
    }

    private static Map<String, Set<String>> created(Pattern command, String text) {
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        Matcher m = command.matcher(text);
        while (m.find()) {
            Set<String> keys = secrets.computeIfAbsent(m.group(1) + "/" + m.group(2), k -> new LinkedHashSet<>());
            Matcher f = FROM.matcher(m.group(3));
            while (f.find()) {
                String spec = f.group(2);
                int eq = spec.indexOf('=');
                // --from-file=PATH takes the file's name as key; --from-file=KEY=PATH and literals name it.
                keys.add(eq >= 0 ? spec.substring(0, eq) : Path.of(spec).getFileName().toString());
            }
        }
        return secrets;
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    /** The object of that kind, namespace and name, or null. */
    JsonNode find(String kind, String namespace, String name) {
        for (JsonNode o : ofKind(kind)) {
            if (o.at("/metadata/name").asText().equals(name) && namespace(o).equals(namespace)) {
                return o;
            }
        }
        return null;
    }

    static String namespace(JsonNode o) {
        return o.at("/metadata/namespace").asText("default");
    }

    static String id(JsonNode o) {
        return o.path("kind").asText() + " " + namespace(o) + "/" + o.at("/metadata/name").asText();
    }

    List<Pod> pods() {
        List<Pod> pods = new ArrayList<>();
        for (JsonNode o : objects) {
            if (WORKLOADS.contains(o.path("kind").asText())) {
                JsonNode t = o.at("/spec/template");
                pods.add(new Pod(o, namespace(o), t.at("/metadata/labels"), t.path("spec")));
            }
        }
        return pods;
    }

    /** Pods of a namespace whose labels include every label of {@code matchLabels}. */
    List<Pod> selected(String namespace, JsonNode matchLabels) {
        return pods().stream().filter(p -> p.namespace().equals(namespace) && matches(matchLabels, p.labels())).toList();
    }

    static boolean matches(JsonNode matchLabels, JsonNode labels) {
        var it = matchLabels.properties().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    /** The keys of a Secret: from an object in the rendering, else from docs/DEPLOY.md, else null. */
    Set<String> secretKeys(String namespace, String name) {
        return keys("Secret", namespace, name, "stringData", documentedSecrets);
    }

    /** The keys of a ConfigMap: from an object in the rendering, else from docs/DEPLOY.md, else null. */
    Set<String> configMapKeys(String namespace, String name) {
        return keys("ConfigMap", namespace, name, "binaryData", documentedConfigMaps);
    }

    /** The keys under {@code data} and {@code otherData} of {@code kind/name}, else those {@code documented}. */
    private Set<String> keys(String kind, String namespace, String name, String otherData,
                             Map<String, Set<String>> documented) {
        JsonNode o = find(kind, namespace, name);
        if (o == null) {
            return documented.get(namespace + "/" + name);
        }
        Set<String> keys = new LinkedHashSet<>();
        o.path("data").fieldNames().forEachRemaining(keys::add);
        o.path(otherData).fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** A copy where {@code change} is applied to the object at {@code pointer} inside {@code kind/name}. */
    KubeManifests with(String kind, String name, String pointer, Consumer<ObjectNode> change) {
        List<JsonNode> copy = new ArrayList<>();
        boolean found = false;
        for (JsonNode o : objects) {
            if (o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name)) {
                o = Mutate.at(o, pointer, change);
                found = true;
            }
            copy.add(o);
        }
        if (!found) {
            throw new IllegalArgumentException("no " + kind + " " + name + " in " + source);
        }
        return new KubeManifests(source, copy, documentedSecrets, documentedConfigMaps);
    }

    KubeManifests withDocumentedSecrets(Map<String, Set<String>> secrets) {
        return new KubeManifests(source, objects, secrets, documentedConfigMaps);
    }

    KubeManifests withDocumentedConfigMaps(Map<String, Set<String>> configMaps) {
        return new KubeManifests(source, objects, documentedSecrets, configMaps);
    }
}
