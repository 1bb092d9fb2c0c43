package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.testkit.TempFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The overlays as {@code kubectl kustomize} renders them: no error, no warning, the base unchanged
 * where an overlay says so, and the base read without kubectl equal to kubectl's rendering of it.
 */
class KubernetesRenderTest {
    static Stream<String> overlays() {
        return Kustomize.overlays().stream();
    }

    @Test
    void thereAreTheDevAndHaOverlays() {
        assertThat(Kustomize.overlays()).containsExactly("dev", "ha");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kubectlRendersTheOverlayWithoutWarnings(String name) {
        Kustomize.Rendered r = Kustomize.render(Kustomize.overlay(name));
        assertThat(r.stderr()).as("kubectl kustomize overlays/" + name + " on stderr").isBlank();
        assertThat(r.objects()).isNotEmpty();
        assertThat(r.objects()).allMatch(o -> !o.path("kind").asText().equals("Namespace")
                || o.at("/metadata/name").asText().equals("upki"));
    }

    @Test
    void theBaseReadWithoutKubectlIsWhatKubectlRenders() {
        List<JsonNode> kubectl = Kustomize.render(Kustomize.dir().resolve("base")).objects();
        List<JsonNode> direct = KubeManifests.base().objects();
        // JsonNode equality ignores key order (kubectl sorts keys, the files do not).
        assertThat(byId(direct).keySet()).containsExactlyElementsOf(byId(kubectl).keySet());
        byId(kubectl).forEach((id, o) -> assertThat(byId(direct).get(id)).as(id).isEqualTo(o));
    }

    @Test
    void haRunsACaPairTwoRaCoresThreeSidecarsAndTwoPublishers() {
        KubeManifests ha = KubeManifests.overlay("ha");
        Map<String, Integer> replicas = new java.util.TreeMap<>();
        for (KubeManifests.Pod p : ha.pods()) {
            replicas.put(p.name(), p.workload().at("/spec/replicas").asInt());
        }
        assertThat(replicas).containsExactlyInAnyOrderEntriesOf(Map.of("StatefulSet/ca-server", 2, "Deployment/ra-core", 2,
                "Deployment/auth-sidecar", 3, "Deployment/crl-publisher", 1, "Deployment/crl-publisher-b", 1));
        for (String name : List.of("auth-sidecar", "ra-core")) {
            JsonNode d = ha.find("Deployment", "upki", name);
            assertThat(d.at("/spec/template/spec/affinity/podAntiAffinity").isObject()).as(name).isTrue();
        }
        assertThat(ha.find("PodDisruptionBudget", "upki", "ca-server")).isNotNull();
        // Both CAs on the PostgreSQL store, password from a file; ra-core's ACME store there too, and no
        // shared ReadWriteOnce volume left between the ra-core pods.
        JsonNode ca = ha.find("StatefulSet", "upki", "ca-server").at("/spec/template/spec/containers/0/env");
        assertThat(ca.toString()).contains("\"UPKI_STORE\"", "\"UPKI_STORE_PASSWORD_FILE\"");
        JsonNode ra = ha.find("Deployment", "upki", "ra-core").at("/spec/template/spec");
        assertThat(ra.at("/containers/0/env").toString()).contains("\"UPKI_ACME_STORE\"", "\"UPKI_ACME_STORE_PASSWORD_FILE\"");
        assertThat(ra.at("/volumes").toString()).doesNotContain("persistentVolumeClaim");
        assertThat(ha.ofKind("PersistentVolumeClaim")).isEmpty();
        // Every process names both CA pods, and none the base's single-CA Service.
        String pair = "tcp://ca-server-0.ca-server-headless:5000,tcp://ca-server-1.ca-server-headless:5000";
        for (KubeManifests.Pod p : ha.pods()) {
            String args = p.spec().at("/containers/0/args").toString();
            if (!p.name().equals("StatefulSet/ca-server")) {
                assertThat(args).as(p.name()).contains("\"--ca\",\"" + pair + "\"").doesNotContain("tcp://ca-server:");
            }
        }
    }

    @Test
    void devAdmitsK3sTraefikAndNeverPulls() {
        KubeManifests dev = KubeManifests.overlay("dev");
        for (String policy : List.of("auth-sidecar", "ra-core")) {
            assertThat(dev.find("NetworkPolicy", "upki", policy).at("/spec/ingress/0/from/0/namespaceSelector/matchLabels")
                    .path("kubernetes.io/metadata.name").asText()).isEqualTo("kube-system");
        }
        for (KubeManifests.Pod p : dev.pods()) {
            assertThat(p.containers()).allMatch(c -> c.path("imagePullPolicy").asText().equals("Never"));
        }
    }

    @Test
    void aBaseWithMoreThanFilesAndANamespaceIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "namespace: upki\nresources: [a.yaml]\ncommonLabels: {a: b}\n");
        assertThatThrownBy(() -> Kustomize.base(dir)).hasMessageContaining("[commonLabels]");
    }

    @Test
    void aBrokenOverlayFailsWithKubectlsMessage(@TempDir Path dir) throws IOException {
        Kustomize.kubectl(); // skipped with the reason where there is none, like the others
        TempFolder.copy(Kustomize.dir(), dir);
        Path k = dir.resolve("overlays/dev/kustomization.yaml");
        Files.writeString(k, Files.readString(k).replace("path: traefik-namespace.yaml", "path: traefik-namespaces.yaml"));
        assertThatThrownBy(() -> Kustomize.render(dir.resolve("overlays/dev")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("traefik-namespaces.yaml");
    }

    @Test
    void aPatchThatNoLongerAppliesIsFound(@TempDir Path dir) throws IOException {
        // The dev overlay's JSON patch names a path; a base that changes shape breaks it loudly.
        Kustomize.kubectl();
        TempFolder.copy(Kustomize.dir(), dir);
        Path p = dir.resolve("base/network-policies.yaml");
        Files.writeString(p, Files.readString(p).replace("namespaceSelector:", "namespaceSelectr:"));
        assertThatThrownBy(() -> Kustomize.render(dir.resolve("overlays/dev"))).isInstanceOf(AssertionError.class);
    }

    private static Map<String, JsonNode> byId(List<JsonNode> objects) {
        Map<String, JsonNode> all = new TreeMap<>();
        objects.forEach(o -> all.put(KubeManifests.id(o), o));
        assertThat(all).hasSameSizeAs(objects);
        return all;
    }
}
