package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The deployment as Traefik and Compose see it: static file, file-provider files, Compose file. */
record Stack(Path staticFile, JsonNode staticConfig, Path dynamicDir, JsonNode fileProvider, ComposeFile compose) {

    static Stack repo() {
        return new Stack(Repo.traefikStatic(), Repo.yaml(Repo.traefikStatic()), Repo.traefikDynamicDir(),
                fileProvider(Repo.traefikDynamicDir()), ComposeFile.load(Repo.compose()));
    }

    /** Every .yml/.yaml file of the file provider's directory, merged by section as Traefik does. */
    static JsonNode fileProvider(Path dir) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode doc = Repo.yaml(f);
                doc.properties().forEach(top -> top.getValue().properties().forEach(section ->
                        section.getValue().properties().forEach(item ->
                                merged.withObjectProperty(top.getKey()).withObjectProperty(section.getKey()).set(item.getKey(), item.getValue()))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return merged;
    }

    /** The Traefik labels of every Compose service, parsed into dynamic-configuration shape. */
    Map<String, TraefikLabels.Result> labels() {
        Map<String, TraefikLabels.Result> all = new LinkedHashMap<>();
        compose.services().forEach((name, service) -> {
            Map<String, String> labels = TraefikLabels.of(service);
            if (labels.keySet().stream().anyMatch(k -> k.startsWith("traefik."))) {
                all.put(name, TraefikLabels.parse(name, labels));
            }
        });
        return all;
    }

    List<String> crossReferenceProblems() {
        return new EdgeChecks(staticFile, staticConfig, dynamicDir, fileProvider, labels(), compose).problems();
    }

    Stack withStatic(JsonNode changed) {
        return new Stack(staticFile, changed, dynamicDir, fileProvider, compose);
    }

    Stack withFileProvider(JsonNode changed) {
        return new Stack(staticFile, staticConfig, dynamicDir, changed, compose);
    }

    Stack withCompose(JsonNode changed) {
        return new Stack(staticFile, staticConfig, dynamicDir, fileProvider, new ComposeFile(changed, compose.dir()));
    }
}
