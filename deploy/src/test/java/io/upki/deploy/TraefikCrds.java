package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traefik objects ({@code traefik.io/v1alpha1}) against the OpenAPI v3 schemas inside Traefik's own
 * CustomResourceDefinitions (vendored, see schemas/SOURCES.md), the way an API server with
 * {@code kubectl apply --validate=strict} (kubectl's default) takes them: a field the schema does not
 * declare is an error, not silently pruned. So every object schema that lists its properties is closed
 * ({@code additionalProperties: false}) unless it says {@code x-kubernetes-preserve-unknown-fields}.
 */
final class TraefikCrds {
    static final String GROUP_VERSION = "traefik.io/v1alpha1";
    private static final String FILE = "kubernetes/traefik-crds-v1.yml";
    private static final Map<String, Schema> SCHEMAS = load();

    private TraefikCrds() {
    }

    static boolean isTraefik(JsonNode o) {
        return o.path("apiVersion").asText().startsWith("traefik.io/") || o.path("apiVersion").asText().startsWith("traefik.containo.us/");
    }

    /** Every violation of the object's CRD schema; an unknown kind or version is one too. */
    static List<String> validate(JsonNode o) {
        String kind = o.path("kind").asText();
        if (!o.path("apiVersion").asText().equals(GROUP_VERSION)) {
            return List.of(KubeManifests.id(o) + ": apiVersion " + o.path("apiVersion").asText()
                    + " is not the one Traefik v3 serves (" + GROUP_VERSION + ")");
        }
        Schema schema = SCHEMAS.get(kind);
        if (schema == null) {
            return List.of(KubeManifests.id(o) + ": Traefik defines no kind " + kind + " (it has " + SCHEMAS.keySet() + ")");
        }
        return schema.validate(o).stream().map(Error::toString).map(m -> KubeManifests.id(o) + ": " + m).toList();
    }

    private static Map<String, Schema> load() {
        String text;
        try (InputStream in = Repo.schema(FILE).openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // OpenAPI v3.0 schema objects are draft-04 JSON Schema with extensions (x-kubernetes-*), which
        // a draft-04 validator ignores as unknown keywords.
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (JsonNode crd : Kustomize.documents(text)) {
            for (JsonNode v : crd.at("/spec/versions")) {
                if ((crd.at("/spec/group").asText() + "/" + v.path("name").asText()).equals(GROUP_VERSION)) {
                    JsonNode schema = v.at("/schema/openAPIV3Schema").deepCopy();
                    close(schema);
                    schemas.put(crd.at("/spec/names/kind").asText(), registry.getSchema(schema));
                }
            }
        }
        if (schemas.isEmpty()) {
            throw new IllegalStateException(FILE + " defines no " + GROUP_VERSION + " kinds");
        }
        return schemas;
    }

    /** additionalProperties: false on every object schema with properties that does not preserve unknowns. */
    static void close(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.path("type").asText().equals("object") && o.path("properties").isObject()
                    && !o.has("additionalProperties") && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(TraefikCrds::close);
        } else if (node.isArray()) {
            node.forEach(TraefikCrds::close);
        }
    }
}
