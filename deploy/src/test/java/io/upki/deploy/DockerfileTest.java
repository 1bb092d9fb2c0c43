package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one Dockerfile, rendered for each process as {@code --build-arg MODULE=...} renders it:
 * multi-stage Maven build, JRE runtime as non-root, the jar the module's pom builds.
 */
class DockerfileTest {
    static final String BUILD_IMAGE = "maven:3-eclipse-temurin-17";
    static final String RUNTIME_IMAGE = "eclipse-temurin:17-jre";

    @ParameterizedTest
    @ValueSource(strings = {"ca-server", "crl-publisher", "auth-sidecar", "ra-core"})
    void eachProcessImageIsBuiltAsRequired(String module) {
        assertThat(problems(module, rendered(module))).isEmpty();
    }

    /** The Dockerfile as the builder sees it with {@code MODULE=module}: each {@code ${MODULE}} replaced. */
    static String rendered(String module) {
        return Repo.read(Repo.root().resolve("Dockerfile")).replace("${MODULE}", module);
    }

    @Test
    void composeBuildsEachProcessFromTheDockerfileWithItsModule() {
        ComposeFile compose = ComposeFile.load(Repo.compose());
        List<String> built = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            if (service.has("build")) {
                String dockerfile = service.at("/build/dockerfile").asText();
                assertThat(compose.dir().resolve(service.at("/build/context").asText()).normalize()).isEqualTo(Repo.root());
                assertThat(dockerfile).as(name).isEqualTo("Dockerfile");
                String module = service.at("/build/args/MODULE").asText();
                assertThat(Files.isRegularFile(Repo.root().resolve(module).resolve("pom.xml"))).as(name + " MODULE " + module).isTrue();
                assertThat(service.path("image").asText()).as(name).startsWith("upki/" + module + ":");
                built.add(module);
            }
        });
        assertThat(built).contains("ca-server", "crl-publisher", "auth-sidecar", "ra-core");
    }

    @Test
    void theBuildContextLeavesOutBuildOutputSecretsAndRuntimeState() {
        List<String> ignored = Repo.read(Repo.root().resolve(".dockerignore")).lines()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("**/target/", ".git/", ".env", "data/");
    }

    // --- each rule refuses a broken Dockerfile

    @Test
    void aRuntimeStageRunningAsRootIsRefused() {
        String text = rendered("ra-core").replace("USER upki:upki", "USER root");
        assertThat(problems("ra-core", text)).anyMatch(p -> p.contains("root"));
    }

    @Test
    void aRuntimeStageWithoutUserIsRefused() {
        String text = rendered("ra-core").replace("USER upki:upki\n", "");
        assertThat(problems("ra-core", text)).anyMatch(p -> p.contains("no USER"));
    }

    @Test
    void aSingleStageImageIsRefused() {
        String text = "FROM maven:3-eclipse-temurin-17\nCOPY . /src\nRUN mvn package\nUSER 1000\n"
                + "ENTRYPOINT [\"java\", \"-jar\", \"/src/ra-core/target/ra-core.jar\"]\n";
        assertThat(problems("ra-core", text)).anyMatch(p -> p.contains("multi-stage"));
    }

    @Test
    void aJarPathTheModuleDoesNotBuildIsRefused() {
        String text = rendered("ra-core")
                .replace("/src/ra-core/target/ra-core.jar", "/src/ra-core/target/ra-core-0.1.0-SNAPSHOT.jar");
        assertThat(problems("ra-core", text)).anyMatch(p -> p.contains("ra-core-0.1.0-SNAPSHOT.jar"));
    }

    @Test
    void copyingTheWholeBuildOutputIsRefused() {
        String text = rendered("ra-core")
                .replace("COPY --from=build /src/ra-core/target/lib/ /app/lib/", "COPY --from=build /src /src");
        assertThat(problems("ra-core", text)).anyMatch(p -> p.contains("only the jar"));
    }

    private static final Pattern FINAL_NAME = Pattern.compile("<finalName>([^<]+)</finalName>");
    private static final Pattern MAIN_CLASS = Pattern.compile("<mainClass>([^<]+)</mainClass>");
    private static final Pattern PREFIX = Pattern.compile("<classpathPrefix>([^<]+)</classpathPrefix>");

    /** What is wrong with {@code text} as the Dockerfile of {@code module}. */
    static List<String> problems(String module, String text) {
        List<String> problems = new ArrayList<>();
        Dockerfile d = Dockerfile.parse(text);
        if (d.stages().size() < 2) {
            problems.add("not a multi-stage build");
            return problems;
        }
        Dockerfile.Stage build = d.stages().get(0);
        Dockerfile.Stage runtime = d.last();
        if (!build.image().equals(BUILD_IMAGE)) {
            problems.add("build stage is " + build.image() + ", not " + BUILD_IMAGE);
        }
        if (!runtime.image().equals(RUNTIME_IMAGE)) {
            problems.add("runtime stage is " + runtime.image() + ", not " + RUNTIME_IMAGE);
        }
        if (build.all("RUN").stream().noneMatch(r -> r.contains("mvn ") && r.contains("-pl " + module) && r.contains("-am"))) {
            problems.add("the build stage does not build " + module + " with its upstream modules (-pl " + module + " -am)");
        }
        // USER: set, not root, before the process starts.
        List<String> users = runtime.all("USER");
        if (users.isEmpty()) {
            problems.add("runtime stage has no USER: it would run as root");
        } else {
            String user = users.get(users.size() - 1).split(":")[0];
            if (user.equals("root") || user.equals("0")) {
                problems.add("runtime stage runs as root");
            }
            int lastUser = -1;
            for (int i = 0; i < runtime.instructions().size(); i++) {
                lastUser = runtime.instructions().get(i).keyword().equals("USER") ? i : lastUser;
            }
            if (runtime.indexOf("ENTRYPOINT") >= 0 && lastUser > runtime.indexOf("ENTRYPOINT")) {
                problems.add("USER comes after ENTRYPOINT");
            }
        }
        // The jar the module's pom builds, and only it (plus its manifest class path).
        String pom = Repo.read(Repo.root().resolve(module).resolve("pom.xml"));
        Matcher finalName = FINAL_NAME.matcher(pom);
        String jar = "/src/" + module + "/target/" + (finalName.find() ? finalName.group(1) : module + "-0.1.0-SNAPSHOT") + ".jar";
        Matcher prefix = PREFIX.matcher(pom);
        String lib = "/src/" + module + "/target/" + (prefix.find() ? prefix.group(1) : "lib/");
        List<String> copies = runtime.all("COPY");
        String jarTarget = null;
        for (String copy : copies) {
            if (!copy.startsWith("--from=")) {
                problems.add("runtime stage copies from the build context: " + copy);
                continue;
            }
            String[] parts = copy.split("\\s+");
            String source = parts[1];
            if (source.endsWith(".jar")) {
                if (!source.equals(jar)) {
                    problems.add("copies " + source + ", but the module builds " + jar);
                }
                jarTarget = parts[2];
            } else if (!source.equals(lib)) {
                problems.add("copies " + source + ": only the jar and its class-path folder " + lib + " belong in the image");
            }
        }
        if (jarTarget == null) {
            problems.add("no jar copied into the runtime stage");
        } else if (!String.join(" ", runtime.all("ENTRYPOINT")).contains("\"" + jarTarget + "\"")) {
            problems.add("ENTRYPOINT does not run " + jarTarget);
        }
        Matcher main = MAIN_CLASS.matcher(pom);
        if (!main.find() || !Files.isRegularFile(Repo.root().resolve(module + "/src/main/java/"
                + main.group(1).replace('.', '/') + ".java"))) {
            problems.add("the pom's mainClass is not a source file of " + module);
        }
        if (runtime.all("HEALTHCHECK").isEmpty()) {
            problems.add("no HEALTHCHECK");
        }
        return problems;
    }
}
