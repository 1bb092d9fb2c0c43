package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every flag and UPKI_* variable docker-compose.yml, the Dockerfiles and the Kubernetes manifests give a process is one it reads. */
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
            Dockerfile d = Dockerfile.parse(DockerfileTest.rendered(module));
            String text = String.join(" ", d.last().all("CMD"));
            for (String flag : flags(text)) {
                if (!Processes.sources(module).contains("\"--" + flag + "\"")) {
                    problems.add("Dockerfile (MODULE=" + module + "): --" + flag);
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

    @ParameterizedTest
    @MethodSource("io.upki.deploy.KubernetesSchemaTest#renderings")
    void kubernetesCommandsAndEnvironmentMatchTheMainClasses(String name) {
        KubeManifests m = KubernetesSchemaTest.load(name);
        long upkiContainers = m.pods().stream().flatMap(p -> p.containers().stream())
                .filter(c -> Processes.module(c) != null).count();
        // The four processes, ca-init, the publisher's client-key and the sidecar's tls-key init containers;
        // the ha overlay adds a second publisher with its client-key init container.
        assertThat(upkiContainers).as("containers running an upki image in " + name).isEqualTo(name.equals("ha") ? 9 : 7);
        assertThat(problems(m)).as(name).isEmpty();
    }

    @Test
    void aMisspelledFlagInAKubernetesManifestIsFound() {
        KubeManifests m = KubeManifests.base().with("Deployment", "auth-sidecar", "/spec/template/spec/containers/0", c -> {
            String args = c.get("args").toString().replace("--crl-events", "--crl-event");
            c.set("args", Repo.yaml(args));
        });
        assertThat(problems(m)).containsExactly("Deployment/auth-sidecar auth-sidecar: --crl-event");
    }

    @Test
    void aMisspelledVariableInAKubernetesConfigMapIsFound() {
        // ca-init takes the ConfigMap whole (envFrom): its keys become the process's environment.
        KubeManifests m = KubeManifests.base().with("ConfigMap", "ca-settings", "/data",
                d -> d.set("UPKI_CA_KEYTYPE", d.remove("UPKI_CA_KEY_TYPE")));
        assertThat(problems(m)).containsExactly("StatefulSet/ca-server ca-init: UPKI_CA_KEYTYPE");
    }

    @Test
    void aMisspelledSecretVariableInAKubernetesManifestIsFound() {
        KubeManifests m = KubeManifests.base().with("Deployment", "ra-core", "/spec/template/spec/containers/0/env/0",
                e -> e.put("name", "UPKI_SEED"));
        assertThat(problems(m)).containsExactly("Deployment/ra-core ra-core: UPKI_SEED");
    }

    static List<String> problems(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            String module = service.at("/build/args/MODULE").asText("");
            if (module.isEmpty()) {
                return;
            }
            String text = service.path("entrypoint").toString() + " " + service.path("command").toString();
            Set<String> variables = new LinkedHashSet<>();
            service.path("environment").fieldNames().forEachRemaining(variables::add);
            problems.addAll(problems(name, module, text, variables));
        });
        return problems;
    }

    /** Each container running an upki image: its command, arguments, env and the keys of ConfigMaps it takes whole. */
    static List<String> problems(KubeManifests m) {
        List<String> problems = new ArrayList<>();
        for (KubeManifests.Pod pod : m.pods()) {
            for (JsonNode c : pod.containers()) {
                String module = Processes.module(c);
                if (module == null) {
                    continue;
                }
                String text = c.path("command").toString() + " " + c.path("args").toString();
                Set<String> variables = new LinkedHashSet<>();
                c.path("env").forEach(e -> variables.add(e.path("name").asText()));
                for (JsonNode from : c.path("envFrom")) {
                    JsonNode cm = m.find("ConfigMap", pod.namespace(), from.at("/configMapRef/name").asText());
                    if (cm != null) {
                        cm.path("data").fieldNames().forEachRemaining(variables::add);
                    }
                }
                problems.addAll(problems(pod.name() + " " + c.path("name").asText(), module, text, variables));
            }
        }
        return problems;
    }

    private static List<String> problems(String name, String module, String text, Set<String> variables) {
        List<String> problems = new ArrayList<>();
        String sources = Processes.sources(module);
        for (String flag : flags(text)) {
            if (!sources.contains("\"--" + flag + "\"")) {
                problems.add(name + ": --" + flag);
            }
        }
        Set<String> all = new LinkedHashSet<>(variables);
        Matcher m = ENV.matcher(text);
        while (m.find()) {
            all.add(m.group());
        }
        for (String variable : all) {
            // Read by the process (env: default or getenv), or only by the init script itself.
            boolean read = sources.contains("env:" + variable) || sources.contains("\"" + variable + "\"");
            boolean script = text.contains("${" + variable + "}");
            if (!read && !script) {
                problems.add(name + ": " + variable);
            }
        }
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
}
