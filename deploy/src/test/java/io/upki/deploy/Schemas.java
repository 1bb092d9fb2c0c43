package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The three vendored JSON schemas (draft-07, as each declares), loaded once, and validation against them. */
final class Schemas {
    static final String COMPOSE = "compose-spec.json";
    static final String TRAEFIK_STATIC = "traefik-v3.json";
    static final String TRAEFIK_DYNAMIC = "traefik-v3-file-provider.json";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();
    private static final Map<String, JsonNode> RAW = new ConcurrentHashMap<>();

    private Schemas() {
    }

    /** Messages of every violation of {@code name} by {@code instance}; empty when valid. */
    static List<String> validate(String name, JsonNode instance) {
        Schema schema = LOADED.computeIfAbsent(name, n -> {
            // Loaded from its own URL so that a relative $id (compose_spec.json) resolves.
            URL url = Repo.schema(n);
            return REGISTRY.getSchema(SchemaLocation.of(url.toString()), raw(n));
        });
        return schema.validate(instance).stream().map(Error::toString).toList();
    }

    /** The schema document itself, to look up property names and types (label mapping). */
    static JsonNode raw(String name) {
        return RAW.computeIfAbsent(name, n -> {
            URL url = Repo.schema(n);
            try (InputStream in = url.openStream()) {
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(url.toString(), e);
            }
        });
    }
}
