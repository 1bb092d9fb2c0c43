package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every flag and UPKI_* variable docker-compose.yml and the Dockerfiles give a process is one it reads. */
class CommandLinesTest {
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--([a-z][a-z0-9-]*)");
    private static final Pattern ENV = Pattern.compile("(?<![\\w$])UPKI_[A-Z_]+");

    @Test
    void composeCommandsAndEnvironmentMatchTheMainClasses() {
        assertThat(problems(ComposeFile.load(Repo.compose()))).isEmpty();
    }

    @Test
    void dockerfileCommandsMatchTheMainClasses() {
        List<String> problems = new ArrayList<>();
        for (String module : List.of("ca-server", "crl-publisher", "auth-sidecar", "ra-core")) {
            Dockerfile d = Dockerfile.parse(Repo.read(Repo.root().resolve(module + "/Dockerfile")));
            String text = String.join(" ", d.last().all("CMD"));
            for (String flag : flags(text)) {
                if (!sources(module).contains("\"--" + flag + "\"")) {
                    problems.add(module + "/Dockerfile: --" + flag);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aMisspelledFlagIsFound() {
        JsonNode compose = Mutate.at(Repo.yaml(Repo.compose()), "/services/auth-sidecar", s -> {
            String command = s.get("command").toString().replace("--crl-events", "--crl-event");
            s.set("command", Repo.yaml(command));
        });
        assertThat(problems(new ComposeFile(compose, Repo.root()))).containsExactly("auth-sidecar: --crl-event");
    }

    @Test
    void aMisspelledVariableIsFound() {
        JsonNode compose = Mutate.at(Repo.yaml(Repo.compose()), "/services/ca-server/environment",
                e -> e.set("UPKI_CA_PASSWORD", e.remove("UPKI_CA_PASSPHRASE")));
        assertThat(problems(new ComposeFile(compose, Repo.root()))).containsExactly("ca-server: UPKI_CA_PASSWORD");
    }

    static List<String> problems(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            String dockerfile = service.at("/build/dockerfile").asText("");
            if (!dockerfile.endsWith("/Dockerfile")) {
                return;
            }
            String module = dockerfile.substring(0, dockerfile.indexOf('/'));
            String sources = sources(module);
            String text = service.path("entrypoint").toString() + " " + service.path("command").toString();
            for (String flag : flags(text)) {
                if (!sources.contains("\"--" + flag + "\"")) {
                    problems.add(name + ": --" + flag);
                }
            }
            Set<String> variables = new LinkedHashSet<>();
            service.path("environment").fieldNames().forEachRemaining(variables::add);
            Matcher m = ENV.matcher(text);
            while (m.find()) {
                variables.add(m.group());
            }
            for (String variable : variables) {
                // Read by the process (env: default or getenv), or only by the init script itself.
                boolean read = sources.contains("env:" + variable) || sources.contains("\"" + variable + "\"");
                boolean script = text.contains("${" + variable + "}");
                if (!read && !script) {
                    problems.add(name + ": " + variable);
                }
            }
        });
        return problems;
    }

    private static Set<String> flags(String text) {
        Set<String> flags = new LinkedHashSet<>();
        Matcher m = FLAG.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("configFile")) {
                flags.add(m.group(1));
            }
        }
        return flags;
    }

    /** The main Java sources of a module and of pki-common (shared options), as one text. */
    private static String sources(String module) {
        StringBuilder all = new StringBuilder();
        for (String m : List.of(module, "pki-common")) {
            try (Stream<Path> files = Files.walk(Repo.root().resolve(m + "/src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(f)).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }
}
