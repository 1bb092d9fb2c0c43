package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml as Debian's docker-compose (1.29.2) reads it: {@code config} parses, validates
 * and interpolates the file without a Docker engine. Needs the package docker-compose.
 */
class DockerComposeConfigTest {
    private static final String SEED = "test-seed-not-secret";

    record Run(int exit, String out, String err) {
    }

    @Test
    void dockerComposeAcceptsTheFileWithTheExampleEnvironment() throws Exception {
        Run run = config(Repo.root(), Map.of("UPKI_CA_SEED", SEED));
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode resolved = Repo.yaml(run.out());
        List<String> services = new ArrayList<>();
        resolved.path("services").fieldNames().forEachRemaining(services::add);
        assertThat(services).containsExactlyInAnyOrder("ca-init", "ca-server", "crl-publisher", "crl-publisher-b",
                "auth-sidecar", "ra-core", "traefik");
        // Interpolation leaves the guide's labels (backticks, &&) exactly as written.
        JsonNode labels = resolved.at("/services/ra-core/labels");
        for (String label : TraefikLabelsTest.GUIDE_LABELS) {
            int eq = label.indexOf('=');
            assertThat(labels.path(label.substring(0, eq)).asText()).isEqualTo(label.substring(eq + 1));
        }
        assertThat(resolved.at("/services/ra-core/environment/UPKI_CA_SEED").asText()).isEqualTo(SEED);
        // Traefik v3; every long-running service has a health check; the CA is made by the one-shot init.
        assertThat(resolved.at("/services/traefik/image").asText()).startsWith("traefik:v3.");
        for (String service : services) {
            if (!service.equals("ca-init")) {
                assertThat(resolved.at("/services/" + service + "/healthcheck/test").isArray()).as(service).isTrue();
            }
        }
        assertThat(resolved.at("/services/ca-server/depends_on/ca-init/condition").asText())
                .isEqualTo("service_completed_successfully");
        // Healthchecks keep their shell variables ($$code is a literal $code for the container).
        assertThat(resolved.at("/services/auth-sidecar/healthcheck/test").toString()).contains("$$code");
    }

    @Test
    void aMissingSeedIsRefusedWithTheReason() throws Exception {
        Run run = config(Repo.root(), Map.of());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("UPKI_CA_SEED");
    }

    @Test
    void aBrokenCopyIsRefused(@TempDir Path dir) throws Exception {
        copyWithChange(dir, "    restart: unless-stopped\n", "    restartt: unless-stopped\n");
        Run run = config(dir, Map.of("UPKI_CA_SEED", SEED));
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("restartt");
    }

    @Test
    void anUnknownDependencyConditionIsRefused(@TempDir Path dir) throws Exception {
        copyWithChange(dir, "condition: service_completed_successfully", "condition: service_done");
        Run run = config(dir, Map.of("UPKI_CA_SEED", SEED));
        assertThat(run.exit()).isNotZero();
    }

    private static void copyWithChange(Path dir, String from, String to) throws IOException {
        String compose = Repo.read(Repo.compose());
        assertThat(compose).contains(from);
        Files.writeString(dir.resolve("docker-compose.yml"), compose.replace(from, to));
        Files.copy(Repo.root().resolve(".env.example"), dir.resolve(".env.example"));
    }

    /** {@code docker-compose --env-file .env.example -f docker-compose.yml config} in {@code dir}. */
    static Run config(Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(dockerCompose(), "--env-file", ".env.example", "-f", "docker-compose.yml",
                "config").directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("UPKI_") || k.startsWith("COMPOSE_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("compose-config", ".out");
        Path err = Files.createTempFile("compose-config", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("docker-compose config did not finish in 120 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** docker-compose from PATH; its absence is a failure (CI installs the package), never a skip. */
    static String dockerCompose() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "docker-compose");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("docker-compose not found: apt-get install --no-install-recommends docker-compose");
    }
}
