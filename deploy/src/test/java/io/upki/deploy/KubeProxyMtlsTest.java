package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests close issue #16 M1 as the Compose files do: Traefik talks to the sidecar and
 * ra-core over mutual TLS with the proxy certificate's Secret. Each way of undoing that is found.
 */
class KubeProxyMtlsTest {
    private static final KubeManifests BASE = KubeManifests.base();

    @Test
    void theBaseUsesMutualTlsBehindTraefik() {
        assertThat(KubeProxyMtlsChecks.problems(BASE)).isEmpty();
        assertThat(BASE.documentedSecrets().get("upki/upki-traefik-proxy")).containsExactly("tls.crt", "tls.key");
        assertThat(BASE.documentedSecrets().get("upki/upki-sidecar-tls")).containsExactly("tls.crt", "tls.key");
    }

    @Test
    void aPlainHttpForwardAuthIsFound() {
        KubeManifests m = BASE.with("Middleware", "upki-auth", "/spec/forwardAuth",
                f -> f.put("address", "http://auth-sidecar.upki.svc:8080/auth/traefik"));
        assertThat(KubeProxyMtlsChecks.problems(m)).anyMatch(p -> p.contains("is not HTTPS"));
    }

    @Test
    void aForwardAuthWithoutTheProxySecretIsFound() {
        KubeManifests m = BASE.with("Middleware", "upki-auth", "/spec/forwardAuth/tls", t -> t.remove("certSecret"));
        assertThat(KubeProxyMtlsChecks.problems(m)).anyMatch(p -> p.contains("certSecret: not set"));
        KubeManifests unknown = BASE.with("Middleware", "upki-auth", "/spec/forwardAuth/tls",
                t -> t.put("certSecret", "nobody-made-this"));
        assertThat(KubeProxyMtlsChecks.problems(unknown)).anyMatch(p -> p.contains("nobody-made-this does not exist"));
    }

    @Test
    void aTransportWithoutTheProxyCertificateOrSkippingVerificationIsFound() {
        KubeManifests m = BASE.with("ServersTransport", "upki-ra-core", "/spec",
                t -> t.put("insecureSkipVerify", true).remove("certificatesSecrets"));
        assertThat(KubeProxyMtlsChecks.problems(m)).anyMatch(p -> p.contains("insecureSkipVerify"))
                .anyMatch(p -> p.contains("no certificatesSecrets"));
    }

    @Test
    void aRouteToRaCoreOverHttpIsFound() {
        KubeManifests m = BASE.with("IngressRoute", "upki-ra", "/spec/routes/0/services/0", s -> s.remove("scheme"));
        assertThat(KubeProxyMtlsChecks.problems(m)).anyMatch(p -> p.contains("without scheme: https"));
    }

    @Test
    void processesThatDoNotRequireTheProxyAreFound() {
        KubeManifests sidecar = BASE.with("Deployment", "auth-sidecar", "/spec/template/spec/containers/0", c -> {
            com.fasterxml.jackson.databind.node.ArrayNode args = c.putArray("args");
            args.add("--listen").add("0.0.0.0:8080");
        });
        assertThat(KubeProxyMtlsChecks.problems(sidecar)).anyMatch(p -> p.contains("no --tls-cert"));
        KubeManifests ra = BASE.with("Deployment", "ra-core", "/spec/template/spec/containers/0", c -> {
            com.fasterxml.jackson.databind.node.ArrayNode args = c.putArray("args");
            args.add("start").add("--mode").add("edge");
        });
        assertThat(KubeProxyMtlsChecks.problems(ra)).anyMatch(p -> p.contains("without --edge-tls"));
    }
}
