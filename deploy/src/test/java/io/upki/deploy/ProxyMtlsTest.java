package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The Compose deployment closes issue #16 M1: Traefik talks to the sidecar and to ra-core over mutual
 * TLS with upki's proxy certificate. Each way of undoing that in the files is found.
 */
class ProxyMtlsTest {
    private final Stack stack = Stack.repo();

    @Test
    void traefikReachesTheSidecarAndRaCoreOnlyOverMutualTls() {
        assertThat(ProxyMtlsChecks.problems(stack)).isEmpty();
    }

    @Test
    void aPlainHttpForwardAuthIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/middlewares/upki-auth/forwardAuth",
                f -> f.put("address", "http://auth-sidecar:8080/auth/traefik"));
        assertThat(ProxyMtlsChecks.problems(stack.withFileProvider(file))).anyMatch(p -> p.contains("is not HTTPS"));
    }

    @Test
    void aForwardAuthWithoutTheProxyCertificateIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/middlewares/upki-auth/forwardAuth", f -> f.remove("tls"));
        assertThat(ProxyMtlsChecks.problems(stack.withFileProvider(file))).anyMatch(p -> p.contains("no tls.cert"));
    }

    @Test
    void aSidecarWithoutTlsIsFound() {
        JsonNode compose = Mutate.at(stack.compose().root(), "/services/auth-sidecar", s -> s.set("command",
                Repo.yaml(s.get("command").toString().replaceAll("\"--tls-(cert|key)\",\"[^\"]+\",", ""))));
        assertThat(ProxyMtlsChecks.problems(stack.withCompose(compose))).anyMatch(p -> p.contains("no --tls-cert"));
    }

    @Test
    void anEdgeRaCoreWithoutEdgeTlsIsFound() {
        JsonNode compose = Mutate.at(stack.compose().root(), "/services/ra-core", s -> s.set("command",
                Repo.yaml(s.get("command").toString().replace("\"--edge-tls\",", ""))));
        assertThat(ProxyMtlsChecks.problems(stack.withCompose(compose))).anyMatch(p -> p.contains("without --edge-tls"));
    }

    @Test
    void aServiceToRaCoreWithoutTheTransportIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/services/ra-core/loadBalancer",
                lb -> lb.remove("serversTransport"));
        assertThat(ProxyMtlsChecks.problems(stack.withFileProvider(file))).anyMatch(p -> p.contains("no serversTransport"));
        JsonNode labels = Mutate.label(stack.compose().root(), "ra-core",
                l -> l.replace("serverstransport=upki-proxy@file", "serverstransport=nope@file"));
        assertThat(ProxyMtlsChecks.problems(stack.withCompose(labels))).anyMatch(p -> p.contains("nope@file does not exist"));
    }

    @Test
    void aTransportThatSkipsVerificationOrPresentsNothingIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/serversTransports/upki-proxy",
                t -> t.put("insecureSkipVerify", true).remove("certificates"));
        assertThat(ProxyMtlsChecks.problems(stack.withFileProvider(file)))
                .anyMatch(p -> p.contains("skips verifying")).anyMatch(p -> p.contains("presents no client certificate"));
    }

    @Test
    void aProxyKeyOnNoTraefikVolumeIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/middlewares/upki-auth/forwardAuth/tls",
                t -> t.put("key", "/somewhere/else/proxy.key"));
        assertThat(ProxyMtlsChecks.problems(stack.withFileProvider(file))).anyMatch(p -> p.contains("/somewhere/else/proxy.key"));
    }

    @Test
    void anAcmeResolverThatDoesNotTrustUpkiIsFound() {
        JsonNode st = Mutate.at(stack.staticConfig(), "/certificatesResolvers/upki/acme", a -> a.remove("caCertificates"));
        assertThat(ProxyMtlsChecks.problems(stack.withStatic(st))).anyMatch(p -> p.contains("no caCertificates"));
    }
}
