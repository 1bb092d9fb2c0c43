package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Everything a router, label, middleware or resolver names exists where Traefik looks for it. */
class CrossReferenceTest {
    private final Stack stack = Stack.repo();

    @Test
    void everyReferenceOfTheDeploymentResolves() {
        assertThat(stack.crossReferenceProblems()).isEmpty();
    }

    @Test
    void stripAdminIsADockerMiddlewareChainingFileMiddlewares() {
        JsonNode chain = stack.labels().get("ra-core").dynamic().at("/http/middlewares/strip-admin/chain/middlewares");
        assertThat(chain.isArray()).isTrue();
        chain.forEach(m -> assertThat(m.asText()).endsWith("@file"));
    }

    // --- and each kind of dangling reference is found

    @Test
    void aDanglingMiddlewareInALabelIsFound() {
        JsonNode compose = Mutate.label(stack.compose().root(), "ra-core",
                l -> l.replace("middlewares=strip-admin", "middlewares=strip-admins"));
        assertThat(stack.withCompose(compose).crossReferenceProblems())
                .anyMatch(p -> p.contains("strip-admins@docker does not exist"));
    }

    @Test
    void aFileMiddlewareNamedWithoutItsProviderInALabelIsFound() {
        // Unqualified in a Docker label means @docker: upki-auth exists only in the file provider.
        JsonNode compose = Mutate.label(stack.compose().root(), "ra-core",
                l -> l.replace("upki-auth@file", "upki-auth"));
        assertThat(stack.withCompose(compose).crossReferenceProblems())
                .anyMatch(p -> p.contains("upki-auth@docker does not exist"));
    }

    @Test
    void aDanglingMiddlewareInAFileChainIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/middlewares/upki-protected/chain",
                c -> ((ArrayNode) c.get("middlewares")).add("upki-gone"));
        assertThat(stack.withFileProvider(file).crossReferenceProblems())
                .anyMatch(p -> p.contains("upki-gone@file does not exist"));
    }

    @Test
    void aDockerMiddlewareNamedFromTheFileProviderMustExistInDocker() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/routers/upki-ra-client",
                r -> r.putArray("middlewares").add("strip-admin@docker").add("nothing@docker"));
        assertThat(stack.withFileProvider(file).crossReferenceProblems())
                .containsExactly("router upki-ra-client@file: middleware nothing@docker does not exist");
    }

    @Test
    void tlsOptionsNamedWithoutProviderInALabelAreFound() {
        JsonNode compose = Mutate.label(stack.compose().root(), "ra-core",
                l -> l.replace("tls.options=upki-mtls@file", "tls.options=upki-mtls"));
        assertThat(stack.withCompose(compose).crossReferenceProblems())
                .anyMatch(p -> p.contains("TLS options can only come from the file provider"));
    }

    @Test
    void unknownTlsOptionsCertResolverServiceAndEntryPointAreFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/routers/upki-acme", r -> {
            r.put("service", "ra-cor");
            r.putArray("entryPoints").add("webseccure");
            ((ObjectNode) r.get("tls")).put("options", "upki-mtl").put("certResolver", "letsencrypt");
        });
        List<String> problems = stack.withFileProvider(file).crossReferenceProblems();
        assertThat(problems).anyMatch(p -> p.contains("service ra-cor@file does not exist"))
                .anyMatch(p -> p.contains("entry point webseccure"))
                .anyMatch(p -> p.contains("TLS options upki-mtl@file do not exist"))
                .anyMatch(p -> p.contains("certificate resolver letsencrypt"));
    }

    @Test
    void aMisspelledClientAuthKeyOrTypeIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/tls/options/upki-mtls/clientAuth", c -> {
            c.set("caFile", c.remove("caFiles"));
            c.put("clientAuthType", "VerifyClientCertIfPresent");
        });
        assertThat(stack.withFileProvider(file).crossReferenceProblems())
                .anyMatch(p -> p.contains("unknown clientAuth key caFile"))
                .anyMatch(p -> p.contains("unknown clientAuthType"));
    }

    @Test
    void theGuideLabelsAloneStillGetTheClientCertificateOptions() {
        // Without the tls.options label the admin router uses "default"; the host's routers then
        // disagree and Traefik uses "default" for all, which is why default = upki-mtls.
        JsonNode compose = Mutate.label(stack.compose().root(), "ra-core", l -> l.contains(".tls.options=") ? null : l);
        assertThat(stack.withCompose(compose).crossReferenceProblems()).isEmpty();
    }

    @Test
    void routersOfOneHostWithDifferentTlsOptionsAreFound() {
        JsonNode compose = Mutate.label(stack.compose().root(), "ra-core", l -> l.contains(".tls.options=") ? null : l);
        JsonNode file = Mutate.at(stack.fileProvider(), "/tls/options/default", d -> d.put("sniStrict", true));
        assertThat(stack.withCompose(compose).withFileProvider(file).crossReferenceProblems())
                .anyMatch(p -> p.contains("host ra.example.internal") && p.contains("fall back to default"));
    }

    @Test
    void aCaFileOutsideTraefiksVolumesIsFound() {
        JsonNode compose = Mutate.at(stack.compose().root(), "/services/traefik", t -> {
            ArrayNode kept = t.arrayNode();
            t.get("volumes").forEach(v -> {
                if (!v.asText().startsWith("trust:")) {
                    kept.add(v);
                }
            });
            t.set("volumes", kept);
        });
        assertThat(stack.withCompose(compose).crossReferenceProblems())
                .anyMatch(p -> p.contains("/etc/upki/ca.crt is in no volume of the traefik service"));
    }

    @Test
    void aFileProviderDirectoryThatIsNotMountedIsFound() {
        JsonNode st = Mutate.at(stack.staticConfig(), "/providers/file", f -> f.put("directory", "/etc/traefik/conf.d"));
        assertThat(stack.withStatic(st).crossReferenceProblems())
                .anyMatch(p -> p.contains("file provider directory /etc/traefik/conf.d"));
    }

    @Test
    void acmeStorageOffAVolumeIsFound() {
        JsonNode st = Mutate.at(stack.staticConfig(), "/certificatesResolvers/upki/acme", a -> a.put("storage", "/acme.json"));
        assertThat(stack.withStatic(st).crossReferenceProblems()).anyMatch(p -> p.contains("storage /acme.json"));
    }

    @Test
    void anAcmeServerThatIsNoComposeServiceIsFound() {
        JsonNode st = Mutate.at(stack.staticConfig(), "/certificatesResolvers/upki/acme",
                a -> a.put("caServer", "http://ra:8000/acme/directory"));
        assertThat(stack.withStatic(st).crossReferenceProblems()).anyMatch(p -> p.contains("caServer: ra "));
    }

    @Test
    void aForwardAuthAddressThatIsNoComposeServiceIsFound() {
        JsonNode file = Mutate.at(stack.fileProvider(), "/http/middlewares/upki-auth/forwardAuth",
                f -> f.put("address", "http://127.0.0.1:8080/auth/traefik"));
        assertThat(stack.withFileProvider(file).crossReferenceProblems())
                .anyMatch(p -> p.contains("forwardAuth.address: 127.0.0.1"));
    }

    @Test
    void trustedForwardedHeadersAtTheEntryPointAreFound() {
        JsonNode st = Mutate.at(stack.staticConfig(), "/entryPoints/websecure/forwardedHeaders",
                f -> f.putArray("trustedIPs").add("10.0.0.0/8"));
        assertThat(stack.withStatic(st).crossReferenceProblems())
                .anyMatch(p -> p.contains("could forge") || p.contains("forge X-Forwarded-Tls-Client-Cert"));
    }

    @Test
    void labelsWithoutTraefikEnableAreFound() {
        JsonNode compose = Mutate.label(stack.compose().root(), "ra-core", l -> l.equals("traefik.enable=true") ? null : l);
        assertThat(stack.withCompose(compose).crossReferenceProblems()).anyMatch(p -> p.contains("traefik.enable=true"));
    }

    @Test
    void aDockerNetworkTraefikDoesNotShareIsFound() {
        JsonNode st = Mutate.at(stack.staticConfig(), "/providers/docker", d -> d.put("network", "upki_internal"));
        assertThat(stack.withStatic(st).crossReferenceProblems()).anyMatch(p -> p.contains("Docker network upki_internal"));
    }

    @Test
    void aServiceOtherThanTraefikPublishingPortsIsFound() {
        JsonNode compose = Mutate.at(stack.compose().root(), "/services/ra-core", s -> s.putArray("ports").add("8000:8000"));
        assertThat(stack.withCompose(compose).crossReferenceProblems()).anyMatch(p -> p.contains("ra-core: publishes ports"));
    }

    @Test
    void aRouterOnTheRedirectingEntryPointIsFound() {
        JsonNode compose = Mutate.label(stack.compose().root(), "ra-core",
                l -> l.replace("entrypoints=websecure", "entrypoints=web"));
        assertThat(stack.withCompose(compose).crossReferenceProblems()).anyMatch(p -> p.contains("only redirects"));
    }
}
