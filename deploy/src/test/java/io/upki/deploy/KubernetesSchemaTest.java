package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object of deploy/kubernetes (the base, read directly, and each overlay, rendered by kubectl):
 * Traefik's against the OpenAPI schemas of Traefik's CRDs, the others parsed strictly into the
 * Kubernetes API model.
 */
class KubernetesSchemaTest {
    /** "base", then every overlay's name. */
    static Stream<String> renderings() {
        return Stream.concat(Stream.of("base"), Kustomize.overlays().stream());
    }

    static KubeManifests load(String name) {
        return name.equals("base") ? KubeManifests.base() : KubeManifests.overlay(name);
    }

    static List<String> problems(KubeManifests m) {
        List<String> problems = new ArrayList<>();
        for (JsonNode o : m.objects()) {
            problems.addAll(TraefikCrds.isTraefik(o) ? TraefikCrds.validate(o) : KubernetesModels.validate(o));
        }
        return problems;
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void everyObjectFollowsItsSchema(String name) {
        KubeManifests m = load(name);
        assertThat(m.objects()).as(name).isNotEmpty();
        assertThat(problems(m)).as(name).isEmpty();
    }

    @Test
    void theBaseHasEveryTraefikKindThisDeploymentNeeds() {
        List<String> kinds = KubeManifests.base().objects().stream().filter(TraefikCrds::isTraefik)
                .map(o -> o.path("kind").asText()).distinct().toList();
        assertThat(kinds).contains("IngressRoute", "Middleware", "TLSOption", "ServersTransport");
    }

    // --- each check refuses a broken copy

    @Test
    void aMisspelledMiddlewareFieldIsRefused() {
        KubeManifests m = KubeManifests.base().with("Middleware", "upki-passtls", "/spec/passTLSClientCert",
                p -> p.set("pems", p.remove("pem")));
        assertThat(problems(m)).anyMatch(p -> p.contains("Middleware upki/upki-passtls") && p.contains("pems"));
    }

    @Test
    void anUnknownClientAuthTypeIsRefused() {
        KubeManifests m = KubeManifests.base().with("TLSOption", "upki-mtls", "/spec/clientAuth",
                c -> c.put("clientAuthType", "VerifyClientCertIfPresent"));
        assertThat(problems(m)).anyMatch(p -> p.contains("TLSOption upki/upki-mtls") && p.contains("clientAuthType"));
    }

    @Test
    void aFileProviderFieldInACrdIsRefused() {
        // caFiles is the file provider's name; the CRD takes Secrets (secretNames).
        KubeManifests m = KubeManifests.base().with("TLSOption", "upki-mtls", "/spec/clientAuth",
                c -> c.putArray("caFiles").add("/etc/upki/ca.crt"));
        assertThat(problems(m)).anyMatch(p -> p.contains("caFiles"));
    }

    @Test
    void aRouteWithAWrongTypeIsRefused() {
        KubeManifests m = KubeManifests.base().with("IngressRoute", "upki-ra", "/spec",
                s -> ((ObjectNode) s.get("routes").get(0)).put("middlewares", "upki-protected"));
        assertThat(problems(m)).anyMatch(p -> p.contains("IngressRoute upki/upki-ra"));
    }

    @Test
    void aKindTraefikDoesNotHaveIsRefused() {
        KubeManifests m = KubeManifests.base().with("ServersTransport", "upki-ra-core", "", o -> o.put("kind", "ServerTransport"));
        assertThat(problems(m)).anyMatch(p -> p.contains("Traefik defines no kind ServerTransport"));
    }

    @Test
    void theOldTraefikApiGroupIsRefused() {
        KubeManifests m = KubeManifests.base().with("IngressRoute", "upki-ra", "",
                o -> o.put("apiVersion", "traefik.containo.us/v1alpha1"));
        assertThat(problems(m)).anyMatch(p -> p.contains("is not the one Traefik v3 serves"));
    }

    @Test
    void aMisspelledProbeFieldIsRefused() {
        KubeManifests m = KubeManifests.base().with("Deployment", "auth-sidecar", "/spec/template/spec/containers/0/readinessProbe",
                p -> p.set("httpGett", p.remove("httpGet")));
        assertThat(problems(m)).anyMatch(p -> p.contains("Deployment upki/auth-sidecar") && p.contains("httpGett")
                && p.contains("/spec/template/spec/containers/0/readinessProbe"));
    }

    @Test
    void aFieldInTheWrongPlaceIsRefused() {
        // replicas belongs to the Deployment's spec, not to the pod's.
        KubeManifests m = KubeManifests.base().with("Deployment", "ra-core", "/spec/template/spec", s -> s.put("replicas", 2));
        assertThat(problems(m)).anyMatch(p -> p.contains("replicas") && p.contains("/spec/template/spec"));
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        KubeManifests m = KubeManifests.base().with("StatefulSet", "ca-server", "/spec", s -> s.put("replicas", "one"));
        assertThat(problems(m)).anyMatch(p -> p.contains("StatefulSet upki/ca-server") && p.contains("/spec/replicas"));
    }

    @Test
    void aCoreKindWithoutAModelIsRefused() {
        KubeManifests m = KubeManifests.base().with("ConfigMap", "ca-settings", "", o -> o.put("kind", "ConfigMapp"));
        assertThat(problems(m)).anyMatch(p -> p.contains("v1/ConfigMapp is not a kind"));
    }
}
