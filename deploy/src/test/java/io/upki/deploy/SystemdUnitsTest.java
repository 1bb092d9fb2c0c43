package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/: a unit for every process (and the renewal agent), each restarted on failure, hardened
 * (no new privileges, read-only system but for its data directory, private /tmp, no home directories), the
 * seed from a systemd credential, never the command line; every ExecStart option is one the process's
 * picocli command defines; and systemd itself ({@code systemd-analyze verify}) accepts every unit.
 */
class SystemdUnitsTest {
    static final Path DIR = Repo.root().resolve("deploy/systemd");
    /** Unit file to the module whose jar its ExecStart runs. */
    static final Map<String, String> PROCESSES = Map.of(
            "upki-ca-server.service", "ca-server",
            "upki-crl-publisher.service", "crl-publisher",
            "upki-auth-sidecar.service", "auth-sidecar",
            "upki-ra-core.service", "ra-core",
            "upki-renew@.service", "upki-cli",
            "upki-renew-agent@.service", "upki-cli");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--([a-z][a-z0-9-]*)");

    @TempDir
    Path tmp;

    /** A unit file as systemd reads it: section to key to values (a key may repeat). */
    record Unit(String name, Map<String, Map<String, List<String>>> sections) {
        static Unit parse(String name, String text) {
            Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
            String section = "";
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                    continue;
                }
                if (l.startsWith("[") && l.endsWith("]")) {
                    section = l.substring(1, l.length() - 1);
                    continue;
                }
                int eq = l.indexOf('=');
                sections.computeIfAbsent(section, s -> new LinkedHashMap<>())
                        .computeIfAbsent(l.substring(0, eq).strip(), k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
            }
            return new Unit(name, sections);
        }

        List<String> service(String key) {
            return sections.getOrDefault("Service", Map.of()).getOrDefault(key, List.of());
        }
    }

    static Unit load(String name) {
        return Unit.parse(name, Repo.read(DIR.resolve(name)));
    }

    @Test
    void everyProcessHasAUnit() throws IOException {
        for (String module : Processes.MODULES) {
            assertThat(PROCESSES).containsValue(module);
        }
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsAll(PROCESSES.keySet()).contains("upki-renew@.timer");
        }
    }

    @Test
    void everyUnitIsHardenedRestartedAndTakesItsSeedFromACredential() {
        List<String> problems = new ArrayList<>();
        PROCESSES.keySet().forEach(name -> problems.addAll(problems(load(name))));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyExecStartOptionIsOneTheProcessDefines() {
        List<String> problems = new ArrayList<>();
        PROCESSES.forEach((name, module) -> problems.addAll(optionProblems(load(name), module)));
        assertThat(problems).isEmpty();
    }

    @Test
    void aMissingHardeningKeyIsFound() {
        String text = Repo.read(DIR.resolve("upki-ra-core.service")).replace("NoNewPrivileges=yes\n", "");
        assertThat(problems(Unit.parse("upki-ra-core.service", text))).containsExactly("upki-ra-core.service: NoNewPrivileges=yes");
    }

    @Test
    void aDataDirectoryOutsideReadWritePathsIsFound() {
        String text = Repo.read(DIR.resolve("upki-ca-server.service"))
                .replace("ReadWritePaths=/var/lib/upki/ca /var/log/upki", "ReadWritePaths=/var/log/upki");
        assertThat(problems(Unit.parse("upki-ca-server.service", text)))
                .containsExactly("upki-ca-server.service: /var/lib/upki/ca is not in ReadWritePaths");
    }

    @Test
    void aSeedOnTheCommandLineIsFound() {
        String text = Repo.read(DIR.resolve("upki-auth-sidecar.service")).replace("--seed-file %d/seed", "--seed hunter2");
        assertThat(problems(Unit.parse("upki-auth-sidecar.service", text)))
                .contains("upki-auth-sidecar.service: a secret on the command line (--seed)");
    }

    @Test
    void aMisspelledOptionIsFound() {
        String text = Repo.read(DIR.resolve("upki-crl-publisher.service")).replace("--ca-cert", "--ca-certificate");
        assertThat(optionProblems(Unit.parse("upki-crl-publisher.service", text), "crl-publisher"))
                .containsExactly("upki-crl-publisher.service: --ca-certificate");
    }

    @Test
    void systemdAcceptsEveryUnit() throws Exception {
        assumeTrue(analyzer() != null, "systemd-analyze is not installed (Debian's systemd package)");
        for (String name : units()) {
            // A template is verified as an instance of it, as systemd would load it.
            Path copy = Files.copy(DIR.resolve(name), tmp.resolve(name.replace("@.", "@test.")));
            Result r = verify(copy);
            assertThat(r.exit()).as(name + ": " + r.output()).isZero();
            assertThat(r.output()).as(name).isBlank();
        }
    }

    @Test
    void systemdReportsABrokenKey() throws Exception {
        assumeTrue(analyzer() != null, "systemd-analyze is not installed (Debian's systemd package)");
        String text = Repo.read(DIR.resolve("upki-ca-server.service")).replace("ProtectSystem=strict", "ProtectSystm=strict");
        Result r = verify(Files.writeString(tmp.resolve("upki-ca-server.service"), text));
        assertThat(r.output()).contains("Unknown key", "ProtectSystm");
    }

    static List<String> problems(Unit unit) {
        List<String> problems = new ArrayList<>();
        Map<String, String> required = new LinkedHashMap<>();
        required.put("NoNewPrivileges", "yes");
        required.put("ProtectSystem", "strict");
        required.put("PrivateTmp", "yes");
        required.put("ProtectHome", "yes");
        if (!unit.service("Type").contains("oneshot")) {
            required.put("Restart", "on-failure");
        }
        required.forEach((key, value) -> {
            if (!unit.service(key).contains(value)) {
                problems.add(unit.name() + ": " + key + "=" + value);
            }
        });
        String exec = String.join(" ", unit.service("ExecStart"));
        List<String> writable = new ArrayList<>();
        unit.service("ReadWritePaths").forEach(v -> writable.addAll(List.of(v.split("\\s+"))));
        // Every directory the process writes (data, state, output, log file's folder) must be writable.
        Matcher m = Pattern.compile("--(?:data-dir|state-dir|out|audit-log|client-key) (/\\S+)").matcher(exec);
        while (m.find()) {
            String path = m.group(0).startsWith("--audit-log") || m.group(0).startsWith("--client-key")
                    ? m.group(1).substring(0, m.group(1).lastIndexOf('/')) : m.group(1);
            if (writable.stream().noneMatch(w -> path.equals(w) || path.startsWith(w + "/"))) {
                problems.add(unit.name() + ": " + path + " is not in ReadWritePaths");
            }
        }
        if (unit.name().startsWith("upki-renew") && !writable.contains("/var/lib/upki/certs")) {
            problems.add(unit.name() + ": /var/lib/upki/certs is not in ReadWritePaths");
        }
        for (String secret : List.of("--seed", "--passphrase")) {
            if (Pattern.compile("(?<![\\w-])" + secret + " ").matcher(exec).find()) {
                problems.add(unit.name() + ": a secret on the command line (" + secret + ")");
            }
        }
        if (String.join(" ", unit.service("Environment")).contains("UPKI_CA_SEED")) {
            problems.add(unit.name() + ": the seed in Environment=");
        }
        if (exec.contains("--seed-file")) {
            if (!exec.contains("--seed-file %d/seed") || unit.service("LoadCredential").stream().noneMatch(c -> c.startsWith("seed:"))) {
                problems.add(unit.name() + ": --seed-file must read the credential: LoadCredential=seed:... and --seed-file %d/seed");
            }
        }
        return problems;
    }

    static List<String> optionProblems(Unit unit, String module) {
        List<String> problems = new ArrayList<>();
        String exec = String.join(" ", unit.service("ExecStart"));
        assertThat(exec).as(unit.name()).contains("/opt/upki/" + module + ".jar");
        Matcher m = FLAG.matcher(exec.substring(exec.indexOf(".jar")));
        while (m.find()) {
            if (!Processes.sources(module).contains("\"--" + m.group(1) + "\"")) {
                problems.add(unit.name() + ": --" + m.group(1));
            }
        }
        return problems;
    }

    static List<String> units() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".service") || n.endsWith(".timer"))
                    .sorted().toList();
        }
    }

    record Result(int exit, String output) {
    }

    static String analyzer() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, "systemd-analyze"))) {
                return dir + "/systemd-analyze";
            }
        }
        return null;
    }

    static Result verify(Path unit) throws Exception {
        Process p = new ProcessBuilder(analyzer(), "verify", unit.toString()).directory(unit.getParent().toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
