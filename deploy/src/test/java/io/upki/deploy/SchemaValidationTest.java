package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, traefik.yml, the file provider's files and the Docker labels against their JSON schemas. */
class SchemaValidationTest {
    private final Stack stack = Stack.repo();

    @Test
    void composeFileFollowsTheComposeSpecification() {
        assertThat(Schemas.validate(Schemas.COMPOSE, stack.compose().root())).isEmpty();
    }

    @Test
    void traefikStaticConfigurationFollowsTheTraefikV3Schema() {
        assertThat(Schemas.validate(Schemas.TRAEFIK_STATIC, stack.staticConfig())).isEmpty();
    }

    @Test
    void everyFileProviderFileFollowsTheFileProviderSchema() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Repo.traefikDynamicDir())) {
            files = s.filter(p -> p.toString().endsWith(".yml")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            assertThat(Schemas.validate(Schemas.TRAEFIK_DYNAMIC, Repo.yaml(f))).as(f.toString()).isEmpty();
        }
    }

    @Test
    void dockerLabelsOfEveryServiceFollowTheFileProviderSchema() {
        assertThat(stack.labels()).isNotEmpty();
        stack.labels().forEach((service, result) -> {
            assertThat(result.problems()).as(service).isEmpty();
            assertThat(Schemas.validate(Schemas.TRAEFIK_DYNAMIC, result.dynamic())).as(service).isEmpty();
        });
    }

    // --- each validation refuses a broken copy

    @Test
    void composeWithAnUnknownServiceKeyIsRefused() {
        JsonNode broken = Mutate.at(stack.compose().root(), "/services/ra-core", s -> s.put("restartt", "always"));
        assertThat(Schemas.validate(Schemas.COMPOSE, broken)).anyMatch(m -> m.contains("restartt"));
    }

    @Test
    void composeWithAWrongTypeIsRefused() {
        JsonNode broken = Mutate.at(stack.compose().root(), "/services/ra-core", s -> s.putObject("command").put("x", 1));
        assertThat(Schemas.validate(Schemas.COMPOSE, broken)).isNotEmpty();
    }

    @Test
    void traefikStaticWithAMisspelledKeyIsRefused() {
        JsonNode broken = Mutate.at(stack.staticConfig(), "/entryPoints/websecure", ep -> ep.put("adress", ":443"));
        assertThat(Schemas.validate(Schemas.TRAEFIK_STATIC, broken)).anyMatch(m -> m.contains("adress"));
    }

    @Test
    void traefikStaticWithAWrongTypeIsRefused() {
        JsonNode broken = Mutate.at(stack.staticConfig(), "/providers/docker", d -> d.put("exposedByDefault", "no"));
        assertThat(Schemas.validate(Schemas.TRAEFIK_STATIC, broken)).isNotEmpty();
    }

    @Test
    void fileProviderWithAnUnknownMiddlewareTypeIsRefused() {
        JsonNode broken = Mutate.at(stack.fileProvider(), "/http/middlewares",
                m -> m.putObject("bogus").putObject("passTlsClientCertificate").put("pem", true));
        assertThat(Schemas.validate(Schemas.TRAEFIK_DYNAMIC, broken)).isNotEmpty();
    }

    @Test
    void fileProviderWithATlsOptionOfTheWrongTypeIsRefused() {
        // The schema leaves clientAuth open (no additionalProperties: false, no enum for the type):
        // CrossReferenceTest covers a misspelled caFiles or clientAuthType.
        JsonNode broken = Mutate.at(stack.fileProvider(), "/tls/options/upki-mtls", o -> o.put("sniStrict", "yes"));
        assertThat(Schemas.validate(Schemas.TRAEFIK_DYNAMIC, broken)).anyMatch(m -> m.contains("sniStrict"));
    }

    @Test
    void aLabelWithAnUnknownKeyIsRefused() {
        var labels = TraefikLabels.of(stack.compose().service("ra-core"));
        labels.put("traefik.http.routers.upki-ra-admin.tlss", "true");
        var parsed = TraefikLabels.parse("ra-core", labels);
        assertThat(Schemas.validate(Schemas.TRAEFIK_DYNAMIC, parsed.dynamic())).anyMatch(m -> m.contains("tlss"));
    }

    @Test
    void aLabelWithAValueOfTheWrongTypeIsRefused() {
        var labels = TraefikLabels.of(stack.compose().service("ra-core"));
        labels.put("traefik.http.routers.upki-ra-admin.priority", "high");
        var parsed = TraefikLabels.parse("ra-core", labels);
        assertThat(Schemas.validate(Schemas.TRAEFIK_DYNAMIC, parsed.dynamic())).isNotEmpty();
    }

    @Test
    void aMiddlewareLabelOfAnUnknownTypeIsRefused() {
        var labels = TraefikLabels.of(stack.compose().service("ra-core"));
        labels.put("traefik.http.middlewares.strip-admin.stripheaders.names", "X-Upki-Assertion");
        var parsed = TraefikLabels.parse("ra-core", labels);
        assertThat(Schemas.validate(Schemas.TRAEFIK_DYNAMIC, parsed.dynamic())).isNotEmpty();
    }
}
