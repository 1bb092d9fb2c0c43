package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The Kubernetes manifests of deploy/kubernetes as Kubernetes would receive them: an overlay rendered
 * by {@code kubectl kustomize} (kustomize v5), or the base read directly (it uses only
 * {@code namespace} and a list of files, which is all this class implements, so it needs no kubectl).
 */
final class Kustomize {
    /** kustomize v5 is what the overlays' syntax needs (Debian bookworm's kubectl 1.20 embeds v2.0.3). */
    private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("Kustomize Version: v(\\d+)\\.");
    /** Kinds that have no namespace: kustomize's {@code namespace} leaves them alone. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition",
            "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass");

    private Kustomize() {
    }

    static Path dir() {
        return Repo.root().resolve("deploy/kubernetes");
    }

    static Path overlay(String name) {
        return dir().resolve("overlays").resolve(name);
    }

    /** The overlay names: every directory under overlays/. */
    static List<String> overlays() {
        try (var s = Files.list(dir().resolve("overlays"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base, read as kustomize would build it: its files in order, namespaced. */
    static List<JsonNode> base(Path dir) {
        JsonNode k = Repo.yaml(dir.resolve("kustomization.yaml"));
        List<String> unknown = new ArrayList<>();
        k.fieldNames().forEachRemaining(f -> {
            if (!Set.of("apiVersion", "kind", "namespace", "resources").contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(dir + "/kustomization.yaml uses " + unknown
                    + ": the base may only have namespace and resources (files), so that it can be read without"
                    + " kubectl; put the rest in an overlay");
        }
        String namespace = k.path("namespace").asText(null);
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path file = dir.resolve(r.asText());
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(dir + "/kustomization.yaml: resource " + r.asText()
                        + " is not a file in the base");
            }
            for (JsonNode o : documents(Repo.read(file))) {
                if (namespace != null && !CLUSTER_SCOPED.contains(o.path("kind").asText())) {
                    ((ObjectNode) o.with("metadata")).put("namespace", namespace);
                }
                objects.add(o);
            }
        }
        return objects;
    }

    /** Every non-empty YAML document of a multi-document text. */
    static List<JsonNode> documents(String text) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Repo.YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode d = it.nextValue();
                if (d != null && !d.isNull() && !d.isMissingNode() && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The rendered objects of a kustomization directory, with anything kubectl says on stderr. */
    record Rendered(List<JsonNode> objects, String stderr) {
    }

    /** {@code kubectl kustomize dir}; a non-zero exit is an AssertionError with kubectl's message. */
    static Rendered render(Path dir) {
        String kubectl = kubectl();
        try {
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                        .redirectError(err.toFile()).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + dir + " did not finish in 120 s");
                }
                String stderr = Files.readString(err);
                if (p.exitValue() != 0) {
                    throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + p.exitValue() + "): "
                            + stderr.strip());
                }
                return new Rendered(documents(new String(out, StandardCharsets.UTF_8)), stderr);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * kubectl with kustomize v5: {@code UPKI_KUBECTL}, else {@code kubectl} on the PATH. Where there is
     * none, the test is skipped with the reason (Debian has no usable kubectl: bookworm's
     * kubernetes-client is 1.20 with kustomize v2.0.3, which cannot read these overlays); with
     * {@code -Dupki.requireKubectl=true} it fails instead. A kubectl that is present but too old always fails.
     */
    static String kubectl() {
        String found = System.getenv("UPKI_KUBECTL");
        if (found == null) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, "kubectl"))) {
                    found = Path.of(d, "kubectl").toString();
                    break;
                }
            }
        }
        if (found == null) {
            String why = "kubectl not found (set UPKI_KUBECTL or put kubectl >= 1.27 on the PATH): the overlays of"
                    + " deploy/kubernetes cannot be rendered; Debian has no usable kubectl (bookworm's"
                    + " kubernetes-client 1.20 embeds kustomize v2.0.3). The base is still checked without it."
                    + " See docs/DEPLOY.md, Kubernetes.";
            if (Boolean.getBoolean("upki.requireKubectl")) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        String version = run(found, "version", "--client");
        Matcher m = KUSTOMIZE_VERSION.matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < 5) {
            throw new AssertionError(found + " has no kustomize v5 (it says: " + version.strip()
                    + "); the overlays need kubectl >= 1.27");
        }
        return found;
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
