package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository, its deployment files and the vendored schemas are; how YAML is read. */
final class Repo {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Repo() {
    }

    /** The repository root: {@code -Dupki.root} (set by the pom), else the first parent with docker-compose.yml. */
    static Path root() {
        String configured = System.getProperty("upki.root");
        if (configured != null && Files.isRegularFile(Path.of(configured, "pom.xml"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found from " + Path.of("").toAbsolutePath());
    }

    /**
     * A schema vendored under {@code src/test/resources/schemas} (see SOURCES.md there), from the test
     * classpath, so that the tests need nothing outside the repository.
     */
    static URL schema(String name) {
        URL url = Repo.class.getResource("/schemas/" + name);
        if (url == null) {
            throw new IllegalStateException("schema " + name
                    + " is not on the test classpath (deploy/src/test/resources/schemas)");
        }
        return url;
    }

    static Path compose() {
        return root().resolve("docker-compose.yml");
    }

    static Path traefikStatic() {
        return root().resolve("deploy/traefik/traefik.yml");
    }

    static Path traefikDynamicDir() {
        return root().resolve("deploy/traefik/dynamic");
    }

    static JsonNode yaml(Path file) {
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException(file + " is empty");
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
