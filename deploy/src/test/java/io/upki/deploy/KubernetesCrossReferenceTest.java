package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Everything the Kubernetes manifests name exists, selects, listens, is allowed through, and mirrors upki.yml. */
class KubernetesCrossReferenceTest {
    private static final KubeManifests BASE = KubeManifests.base();

    static List<String> problems(KubeManifests m) {
        List<String> problems = new ArrayList<>(new KubeChecks(m).problems());
        problems.addAll(new KubeEdgeChecks(m, Stack.repo().fileProvider()).problems());
        problems.addAll(new KubeNetworkChecks(m).problems());
        problems.addAll(KubeProxyMtlsChecks.problems(m));
        return problems;
    }

    static java.util.stream.Stream<String> renderings() {
        return KubernetesSchemaTest.renderings();
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void everyReferenceResolves(String name) {
        assertThat(problems(KubernetesSchemaTest.load(name))).as(name).isEmpty();
    }

    @Test
    void docsCreateTheSecretsTheManifestsNeed() {
        assertThat(BASE.documentedSecrets()).containsKeys("upki/upki-seed", "upki/upki-ca-cert", "upki/upki-ca-passphrase");
        assertThat(BASE.documentedSecrets().get("upki/upki-ca-cert")).containsExactly("ca.crt");
        assertThat(BASE.documentedSecrets().get("upki/upki-publisher-key")).containsExactly("ca-client.key");
        assertThat(BASE.documentedConfigMaps().get("upki/upki-ca-curve")).containsExactly("curve.pub");
    }

    @Test
    void documentedConfigMapsAreReadFromKubectlCommands() {
        assertThat(KubeManifests.createdConfigMaps(
                "kubectl -n upki create configmap upki-ca-curve --from-file=curve.pub=x.pub --from-literal=k=v\n"
                        + "kubectl -n other create configmap plain --from-file=dir/curve.pub"))
                .containsEntry("upki/upki-ca-curve", java.util.Set.of("curve.pub", "k"))
                .containsEntry("other/plain", java.util.Set.of("curve.pub"));
    }

    @Test
    void configMapsNobodyCreatesAreFound() {
        // Without the docs' kubectl create configmap command, no client gets the CA's CURVE public key.
        assertThat(problems(BASE.withDocumentedConfigMaps(Map.of())))
                .anyMatch(p -> p.contains("Deployment/crl-publisher volume ca-curve: ConfigMap upki/upki-ca-curve does not exist"))
                .anyMatch(p -> p.contains("Deployment/auth-sidecar volume ca-curve: ConfigMap upki/upki-ca-curve does not exist"))
                .anyMatch(p -> p.contains("Deployment/ra-core volume ca-curve: ConfigMap upki/upki-ca-curve does not exist"));
        assertThat(problems(BASE.withDocumentedConfigMaps(Map.of("upki/upki-ca-curve", java.util.Set.of("ca.pub")))))
                .anyMatch(p -> p.contains("ConfigMap upki/upki-ca-curve has no key curve.pub"));
    }

    @Test
    void curveKeyFilesOffEveryVolumeAreFound() {
        KubeManifests m = BASE.with("Deployment", "ra-core", "/spec/template/spec/containers/0", c -> {
            var args = (com.fasterxml.jackson.databind.node.ArrayNode) c.get("args");
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).asText().equals("/var/lib/upki/ra/ca-client.key")) {
                    args.set(i, "/home/upki/ca-client.key");
                }
                if (args.get(i).asText().equals("/etc/upki-ca-curve/curve.pub")) {
                    args.set(i, "/etc/upki-curve/curve.pub");
                }
            }
        });
        assertThat(problems(m))
                .anyMatch(p -> p.contains("--client-key /home/upki/ca-client.key is on no volume"))
                .anyMatch(p -> p.contains("--ca-public-key /etc/upki-curve/curve.pub is on no volume"));
    }

    // --- Traefik objects: each kind of dangling reference is found

    @Test
    void aMisspelledMiddlewareIsFound() {
        KubeManifests m = BASE.with("IngressRoute", "upki-ra", "/spec/routes/0/middlewares/0", r -> r.put("name", "upki-protectd"));
        assertThat(problems(m)).anyMatch(p -> p.contains("Middleware upki/upki-protectd does not exist"));
    }

    @Test
    void aMisspelledChainMemberIsFound() {
        KubeManifests m = BASE.with("Middleware", "upki-protected", "/spec/chain/middlewares/2", r -> r.put("name", "upki-authh"));
        assertThat(problems(m)).anyMatch(p -> p.contains("chained Middleware upki/upki-authh does not exist"));
    }

    @Test
    void aWrongServicePortServersTransportAndTlsOptionAreFound() {
        KubeManifests m = BASE.with("IngressRoute", "upki-ra", "/spec/routes/1/services/0",
                s -> s.put("port", 8001).put("serversTransport", "upki-ra")).with("IngressRoute", "upki-ra", "/spec/tls/options",
                o -> o.put("name", "upki-mtsl"));
        assertThat(problems(m)).anyMatch(p -> p.contains("Service upki/ra-core has no port 8001"))
                .anyMatch(p -> p.contains("ServersTransport upki/upki-ra does not exist"))
                .anyMatch(p -> p.contains("TLSOption upki/upki-mtsl does not exist"));
    }

    @Test
    void aTlsOptionSecretThatNobodyCreatesIsFound() {
        KubeManifests m = BASE.with("TLSOption", "upki-mtls", "/spec/clientAuth",
                c -> ((ArrayNode) c.get("secretNames")).set(0, "upki-ca"));
        assertThat(problems(m)).anyMatch(p -> p.contains("Secret upki/upki-ca does not exist"));
    }

    @Test
    void aForwardAuthAddressTraefikCannotResolveIsFound() {
        KubeManifests bare = BASE.with("Middleware", "upki-auth", "/spec/forwardAuth",
                f -> f.put("address", "http://auth-sidecar:8080/auth/traefik"));
        assertThat(problems(bare)).anyMatch(p -> p.contains("is not <service>.<namespace>.svc"));
        KubeManifests otherNs = BASE.with("Middleware", "upki-auth", "/spec/forwardAuth",
                f -> f.put("address", "http://auth-sidecar.upki-prod.svc:8080/auth/traefik"));
        assertThat(problems(otherNs)).anyMatch(p -> p.contains("Service upki-prod/auth-sidecar does not exist"));
    }

    @Test
    void aForwardAuthPathTheSidecarDoesNotServeIsFound() {
        KubeManifests m = BASE.with("Middleware", "upki-auth", "/spec/forwardAuth",
                f -> f.put("address", "http://auth-sidecar.upki.svc:8080/authz/traefik"));
        assertThat(problems(m)).anyMatch(p -> p.contains("path /authz/traefik is no route of auth-sidecar"));
    }

    @Test
    void twoTlsOptionsForOneHostAreFound() {
        KubeManifests m = BASE.with("IngressRoute", "upki-ra", "/spec/tls/options", o -> o.put("name", "upki-other"))
                .with("TLSOption", "upki-mtls", "/metadata", md -> md.put("name", "upki-other"));
        List<JsonNode> objects = new ArrayList<>(m.objects());
        objects.addAll(BASE.ofKind("TLSOption"));
        JsonNode second = BASE.ofKind("IngressRoute").get(0).deepCopy();
        ((ObjectNode) second.get("metadata")).put("name", "upki-ra-2");
        objects.add(second);
        List<String> problems = problems(new KubeManifests("test", objects, BASE.documentedSecrets()));
        assertThat(problems).anyMatch(p -> p.contains("host ra.example.internal has TLS options"));
    }

    // --- ... and the Compose edge (deploy/traefik/dynamic/upki.yml) is mirrored

    @Test
    void aRouteWithOtherMiddlewaresThanUpkiYmlIsFound() {
        KubeManifests m = BASE.with("IngressRoute", "upki-ra", "/spec/routes/1/middlewares/0", r -> r.put("name", "upki-strip-identity"));
        assertThat(problems(m)).anyMatch(p -> p.contains("PathPrefix(`/api/client`)") && p.contains("but upki.yml has"));
    }

    @Test
    void aRouteUpkiYmlDoesNotHaveAndOneMissingAreFound() {
        KubeManifests m = BASE.with("IngressRoute", "upki-ra", "/spec/routes/3", r -> r.put("match",
                "Host(`ra.example.internal`) && PathPrefix(`/acme/`)"));
        assertThat(problems(m)).anyMatch(p -> p.contains("PathPrefix(`/acme/`)) is not in upki.yml") || p.contains("PathPrefix(`/acme/`) is not in upki.yml"))
                .anyMatch(p -> p.contains("upki.yml's route Host(`ra.example.internal`) && PathPrefix(`/acme`) has no IngressRoute route"));
    }

    @Test
    void aDifferentClientCertificatePolicyIsFound() {
        KubeManifests m = BASE.with("TLSOption", "upki-mtls", "/spec/clientAuth", c -> c.put("clientAuthType", "RequireAndVerifyClientCert"));
        assertThat(problems(m)).anyMatch(p -> p.contains("clientAuth/clientAuthType RequireAndVerifyClientCert differs"));
    }

    @Test
    void aHeaderStripThatForgetsOneHeaderIsFound() {
        KubeManifests m = BASE.with("Middleware", "upki-strip-identity", "/spec/headers/customRequestHeaders",
                h -> h.remove("X-Upki-Assertion"));
        assertThat(problems(m)).anyMatch(p -> p.contains("upki-strip-identity: headers") && p.contains("differs from upki.yml"));
    }

    @Test
    void forwardAuthThatNoLongerTrustsForwardedHeadersIsFound() {
        KubeManifests m = BASE.with("Middleware", "upki-auth", "/spec/forwardAuth", f -> f.put("trustForwardHeader", false));
        assertThat(problems(m)).anyMatch(p -> p.contains("upki-auth: forwardAuth") && p.contains("differs"));
    }

    // --- core objects

    @Test
    void aServiceSelectingNoPodOrAMissingPortIsFound() {
        KubeManifests m = BASE.with("Service", "crl-publisher", "/spec/selector", s -> s.put("app.kubernetes.io/name", "crl-publisherr"))
                .with("Service", "ra-core", "/spec/ports/0", p -> p.put("targetPort", "h2c"));
        assertThat(problems(m)).anyMatch(p -> p.contains("Service upki/crl-publisher: selector") && p.contains("selects no pod"))
                .anyMatch(p -> p.contains("Service upki/ra-core: targetPort h2c is no port"));
    }

    @Test
    void aWorkloadSelectorThatMissesItsPodsIsFound() {
        KubeManifests m = BASE.with("Deployment", "auth-sidecar", "/spec/selector/matchLabels", s -> s.put("tier", "edge"));
        assertThat(problems(m)).anyMatch(p -> p.contains("Deployment/auth-sidecar: spec.selector does not select its own pod"));
    }

    @Test
    void missingSecretsKeysConfigMapsClaimsAndVolumesAreFound() {
        KubeManifests m = BASE
                .with("Deployment", "ra-core", "/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef", r -> r.put("name", "upki-sead"))
                .with("Deployment", "auth-sidecar", "/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef", r -> r.put("key", "seeds"))
                .with("StatefulSet", "ca-server", "/spec/template/spec/initContainers/0/envFrom/0/configMapRef", r -> r.put("name", "ca-setting"))
                .with("Deployment", "ra-core", "/spec/template/spec/volumes/0/persistentVolumeClaim", r -> r.put("claimName", "ra"))
                .with("Deployment", "crl-publisher", "/spec/template/spec/containers/0/volumeMounts/1", r -> r.put("name", "ca-certs"));
        assertThat(problems(m)).anyMatch(p -> p.contains("Secret upki/upki-sead does not exist"))
                .anyMatch(p -> p.contains("Secret upki/upki-seed has no key seeds"))
                .anyMatch(p -> p.contains("ConfigMap upki/ca-setting does not exist"))
                .anyMatch(p -> p.contains("PersistentVolumeClaim ra does not exist"))
                .anyMatch(p -> p.contains("volume ca-certs does not exist"));
    }

    @Test
    void secretsNobodyCreatesAreFound() {
        // Without the docs' kubectl create secret commands, nothing provides the seed or ca.crt.
        assertThat(problems(BASE.withDocumentedSecrets(Map.of())))
                .anyMatch(p -> p.contains("Secret upki/upki-seed does not exist"))
                .anyMatch(p -> p.contains("Secret upki/upki-ca-cert does not exist"))
                .anyMatch(p -> p.contains("StatefulSet/ca-server volume publisher-key: Secret upki/upki-publisher-key does not exist"))
                .anyMatch(p -> p.contains("Deployment/crl-publisher volume publisher-key: Secret upki/upki-publisher-key does not exist"))
                .noneMatch(p -> p.contains("upki-ca-passphrase")); // optional
    }

    @Test
    void aCommittedSecretIsFound() {
        List<JsonNode> objects = new ArrayList<>(BASE.objects());
        objects.add(Repo.yaml("{apiVersion: v1, kind: Secret, metadata: {name: upki-seed, namespace: upki}, data: {seed: c2VlZA==}}"));
        assertThat(problems(new KubeManifests("test", objects, Map.of()))).anyMatch(p -> p.contains("never committed"));
    }

    @Test
    void probesOnAPathOrPortTheProcessDoesNotServeAreFound() {
        KubeManifests m = BASE.with("Deployment", "auth-sidecar", "/spec/template/spec/containers/0/readinessProbe/httpGet",
                h -> h.put("path", "/readyz")).with("StatefulSet", "ca-server", "/spec/template/spec/containers/0/livenessProbe/tcpSocket",
                t -> t.put("port", "zmq"));
        assertThat(problems(m)).anyMatch(p -> p.contains("readinessProbe path /readyz is no route of auth-sidecar"))
                .anyMatch(p -> p.contains("livenessProbe port zmq is not a port of the container"));
    }

    @Test
    void aListenPortTheContainerDoesNotDeclareIsFound() {
        KubeManifests m = BASE.with("Deployment", "auth-sidecar", "/spec/template/spec/containers/0", c -> {
            ArrayNode args = (ArrayNode) c.get("args");
            args.set(1, "0.0.0.0:9090");
        });
        assertThat(problems(m)).anyMatch(p -> p.contains("listens on 9090, which the container does not declare"));
    }

    @Test
    void pathsOffTheVolumesAndADataDirectoryAtAVolumeRootAreFound() {
        KubeManifests m = BASE.with("Deployment", "ra-core", "/spec/template/spec/containers/0", c -> {
            ArrayNode args = (ArrayNode) c.get("args");
            args.set(2, "/var/lib/upki");
        }).with("Deployment", "auth-sidecar", "/spec/template/spec/containers/0", c -> {
            ArrayNode args = (ArrayNode) c.get("args");
            args.set(5, "/etc/ssl/upki/ca.crt");
        });
        assertThat(problems(m)).anyMatch(p -> p.contains("ra-core: --data-dir /var/lib/upki is a volume's mount point"))
                .anyMatch(p -> p.contains("auth-sidecar: --trust-anchor /etc/ssl/upki/ca.crt is on no volume"));
    }

    @Test
    void whatTheRestrictedPodSecurityStandardRefusesIsFound() {
        KubeManifests m = BASE.with("StatefulSet", "ca-server", "/spec/template/spec/initContainers/0/securityContext",
                s -> s.remove("allowPrivilegeEscalation")).with("Deployment", "ra-core", "/spec/template/spec",
                s -> s.remove("automountServiceAccountToken")).with("Deployment", "crl-publisher", "/spec/template/spec/securityContext",
                s -> s.remove("seccompProfile"));
        assertThat(problems(m)).anyMatch(p -> p.startsWith("StatefulSet/ca-server container ca-init: securityContext must"))
                .anyMatch(p -> p.startsWith("Deployment/ra-core: automountServiceAccountToken must be false"))
                .anyMatch(p -> p.startsWith("Deployment/crl-publisher: the pod needs securityContext"));
    }

    @Test
    void aVolumeWhosePermissionsTheKubeletWouldLoosenIsFound() {
        KubeManifests m = BASE.with("StatefulSet", "ca-server", "/spec/template/spec/securityContext", s -> s.remove("fsGroupChangePolicy"));
        assertThat(problems(m)).containsExactly("StatefulSet/ca-server: fsGroup without fsGroupChangePolicy: OnRootMismatch;"
                + " the kubelet would make every file on the volume group-readable at each start, key files included"
                + " (ca-server refuses such a ca.key)");
    }

    @Test
    void aStatefulSetWithoutItsHeadlessServiceAndABudgetSelectingNothingAreFound() {
        KubeManifests m = BASE.with("StatefulSet", "ca-server", "/spec", s -> s.put("serviceName", "ca-server"))
                .with("PodDisruptionBudget", "ra-core", "/spec/selector/matchLabels", s -> s.put("app.kubernetes.io/name", "ra"));
        assertThat(problems(m)).anyMatch(p -> p.contains("serviceName ca-server is no headless Service"))
                .anyMatch(p -> p.contains("PodDisruptionBudget upki/ra-core: selector"));
    }

    // --- network policies

    @Test
    void aPolicyCuttingAProcessOffItsServiceIsFound() {
        // crl-publisher loses the CA's event feed.
        KubeManifests m = BASE.with("NetworkPolicy", "ca-server", "/spec/ingress/0", r -> ((ArrayNode) r.get("ports")).remove(1));
        assertThat(problems(m)).anyMatch(p -> p.contains("Deployment/crl-publisher -> ca-server:5002")
                && p.contains("do not let Deployment/crl-publisher in"));
        // ra-core loses the registration port (--ca port + 1, named by no URL).
        KubeManifests r = BASE.with("NetworkPolicy", "ca-server", "/spec/ingress/2", x -> ((ArrayNode) x.get("ports")).remove(1));
        assertThat(problems(r)).containsExactly(
                "Deployment/ra-core -> ca-server:5001: the NetworkPolicies of StatefulSet/ca-server do not let Deployment/ra-core in");
    }

    @Test
    void inTheHaOverlayACaPodThatDoesNotRunAndAFeedCutOffArefound() {
        KubeManifests ha = KubeManifests.overlay("ha");
        // --ca names ca-server-1, which one replica does not run.
        assertThat(problems(ha.with("StatefulSet", "ca-server", "/spec", s -> s.put("replicas", 1))))
                .contains("Deployment/ra-core -> ca-server-1.ca-server-headless:5000: no pod ca-server-1 "
                        + "(StatefulSet ca-server has 1 replicas)");
        // ra-core loses the event feed of the pair (port + 2 of each --ca, named by no URL).
        KubeManifests cut = ha.with("NetworkPolicy", "ca-server", "/spec/ingress/2", x -> ((ArrayNode) x.get("ports")).remove(2));
        assertThat(problems(cut)).containsExactly(
                "Deployment/ra-core -> ca-server-0.ca-server-headless:5002: the NetworkPolicies of StatefulSet/ca-server do not let Deployment/ra-core in",
                "Deployment/ra-core -> ca-server-1.ca-server-headless:5002: the NetworkPolicies of StatefulSet/ca-server do not let Deployment/ra-core in");
    }

    @Test
    void aCaPolicyAdmittingAnotherNamespaceIsFound() {
        KubeManifests m = BASE.with("NetworkPolicy", "ca-server", "/spec/ingress/0/from/0",
                f -> f.putObject("namespaceSelector"));
        assertThat(problems(m)).anyMatch(p -> p.contains("NetworkPolicy upki/ca-server: admits"));
    }

    @Test
    void anEdgePolicyAdmittingMoreThanTraefikIsFound() {
        KubeManifests m = BASE.with("NetworkPolicy", "ra-core", "/spec/ingress/0",
                r -> ((ArrayNode) r.get("from")).addObject().putObject("podSelector").putObject("matchLabels")
                        .put("app.kubernetes.io/name", "crl-publisher"));
        assertThat(problems(m)).anyMatch(p -> p.contains("NetworkPolicy upki/ra-core: admits pods"));
    }

    @Test
    void traefikShutOutOfTheSidecarIsFound() {
        KubeManifests m = BASE.with("NetworkPolicy", "auth-sidecar", "/spec/ingress/0/from/0/podSelector/matchLabels",
                l -> l.put("app.kubernetes.io/name", "traefik-proxy"));
        assertThat(problems(m)).anyMatch(p -> p.contains("Traefik -> upki/auth-sidecar:8080"));
    }

    @Test
    void policySelectorsAndPortsThatMatchNothingAreFound() {
        KubeManifests m = BASE.with("NetworkPolicy", "crl-publisher", "/spec/podSelector/matchLabels", l -> l.put("app.kubernetes.io/name", "publisher"))
                .with("NetworkPolicy", "ca-server", "/spec/ingress/1/from/0/podSelector/matchLabels", l -> l.put("app.kubernetes.io/name", "sidecar"))
                .with("NetworkPolicy", "ca-server", "/spec/ingress/2/ports/1", p -> p.put("port", "registration"));
        assertThat(problems(m)).anyMatch(p -> p.contains("NetworkPolicy upki/crl-publisher: podSelector") && p.contains("selects no pod"))
                .anyMatch(p -> p.contains("peer podSelector {\"app.kubernetes.io/name\":\"sidecar\"} selects no pod"))
                .anyMatch(p -> p.contains("port registration is no port of StatefulSet/ca-server"));
    }

    @Test
    void withoutTheDefaultDenyItIsFound() {
        KubeManifests m = BASE.with("NetworkPolicy", "default-deny-ingress", "/spec", s -> s.putArray("ingress").addObject());
        assertThat(problems(m)).anyMatch(p -> p.contains("no NetworkPolicy denies ingress by default"));
    }
}
