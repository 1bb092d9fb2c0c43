package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.CaFixture;
import io.upki.pki.x509.Pem;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/upki-cli} script run as a process, as an operator runs it: the guide's command from
 * a shell in a working directory, exit codes seen by the shell, and the completion script loaded by bash.
 * The script runs the test's class path ({@code UPKI_CLI_CLASSPATH}) so that the test never starts a
 * nested Maven build.
 */
class CliLauncherTest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().onPortBlock();
    static int port;
    static Path script;

    @BeforeAll
    static void start() throws Exception {
        port = ca.port();
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.isExecutable(here.resolve("bin/upki-cli"))) {
            here = here.getParent();
        }
        assertThat(here).as("bin/upki-cli above " + Path.of("").toAbsolutePath()).isNotNull();
        script = here.resolve("bin/upki-cli");
    }

    /** What one process printed and returned. */
    record Run(int code, String out, String err) {
    }

    static Run shell(Path cwd, Map<String, String> env, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(cwd.toFile());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        pb.environment().put("UPKI_CLI_CLASSPATH", classPath);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PATH", script.getParent() + File.pathSeparator + System.getenv("PATH"));
        pb.environment().remove("UPKI_CA_HOST");
        pb.environment().remove("UPKI_CA_PORT");
        pb.environment().putAll(env);
        Process p = pb.start();
        // Read both streams while waiting, so a full pipe never blocks the process.
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(command).isTrue();
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void theGuidesCommandVerbatimFromAShell() throws Exception {
        Path work = Files.createDirectories(dir.resolve("shell"));
        Run r = shell(work, Map.of("UPKI_CA_PORT", Integer.toString(port)),
                "upki-cli generate \\\n  --host 127.0.0.1 \\\n  --cn \"admin.example.internal\" \\\n  --profile admin");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(Files.getPosixFilePermissions(work.resolve("admin.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Pem.parseCertificate(Files.readString(work.resolve("admin.crt"))).getSubjectX500Principal().getName())
                .isEqualTo("CN=admin.example.internal,OU=Admins,O=Company,C=FR");
        assertThat(Files.readString(work.resolve("ca.crt"))).isEqualTo(ca.client().getCaPem());

        Run again = shell(work, Map.of("UPKI_CA_PORT", Integer.toString(port)),
                "upki-cli generate --host 127.0.0.1 --cn admin.example.internal --profile admin");
        assertThat(again.code()).isEqualTo(4);
        assertThat(again.err()).startsWith("upki-cli: ").contains("already exists").hasLineCount(1);
    }

    @Test
    void exitCodesAndOneLineErrorsReachTheShell() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        Run down = shell(dir, Map.of(), "upki-cli status --port " + free);
        assertThat(down.code()).isEqualTo(3);
        assertThat(down.out()).isEmpty();
        assertThat(down.err()).isEqualTo("upki-cli: CA at tcp://127.0.0.1:" + free + " is unreachable: connection refused\n");

        Run usage = shell(dir, Map.of(), "upki-cli view --serial nope");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).hasLineCount(1);

        Run version = shell(dir, Map.of(), "upki-cli --version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("upki-cli ");

        Run json = shell(dir, Map.of("UPKI_CA_PORT", Integer.toString(port)), "upki-cli status --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[\"reachable\"])'");
        assertThat(json.code()).as(json.toString()).isZero();
        assertThat(json.out().strip()).isEqualTo("True");
    }

    @Test
    void theCompletionScriptLoadsInBash() throws Exception {
        Run r = shell(dir, Map.of(), "source <(upki-cli completion) && complete -p upki-cli"
                + " && COMP_WORDS=(upki-cli gen) COMP_CWORD=1 COMP_LINE='upki-cli gen' COMP_POINT=12"
                + " && _complete_upki-cli && echo \"${COMPREPLY[@]}\"");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("-F _complete_upki-cli upki-cli").contains("generate generate-crl");
    }
}
