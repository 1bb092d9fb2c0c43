package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ra-core start --acme-store} as an operator types it, from the built jar: each unusable value is
 * refused before anything starts, with one line naming what is wrong, exit 2, and no password echoed.
 */
class AcmeStoreOptionTest {
    @TempDir
    Path dir;

    private Command raCore(Map<String, String> env, String... options) throws IOException {
        Path root = LocalStack.repositoryRoot();
        List<String> argv = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", root.resolve("ra-core/target/ra-core.jar").toString(), "start", "--data-dir", dir.resolve("ra").toString(),
                "--port", "0", "--crl", "http://127.0.0.1:9/crl.der"));
        argv.addAll(List.of(options));
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("PGPASSWORD", "");
        return Command.run(dir, all, Duration.ofSeconds(60), argv);
    }

    private static void assertRefused(Command c, String reason) {
        assertThat(c.exitCode()).as(c.toString()).isEqualTo(2);
        assertThat(c.stderr().strip()).as(c.toString()).startsWith("ra-core: ").contains(reason).doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void aStoreThatIsNotAPostgresqlUrlIsRefused() throws IOException {
        assertRefused(raCore(Map.of(), "--acme-store", "mysql://upki@db.internal/acme"),
                "acme-store: expected postgresql://USER@HOST:PORT/DB");
    }

    @Test
    void aPasswordInTheUrlIsRefusedAndNotEchoed() throws IOException {
        Command c = raCore(Map.of(), "--acme-store", "postgresql://upki:hunter2@db.internal/acme");
        assertRefused(c, "must not carry a password");
        assertThat(c.stdout() + c.stderr()).doesNotContain("hunter2");
    }

    @Test
    void aPasswordInBothTheEnvironmentAndAFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("pg.pass"), "from-file\n");
        Command c = raCore(Map.of("PGPASSWORD", "from-env"), "--acme-store", "postgresql://upki@127.0.0.1:9/acme",
                "--acme-store-password-file", file.toString());
        assertRefused(c, "give PGPASSWORD or --acme-store-password-file, not both");
        assertThat(c.stdout() + c.stderr()).doesNotContain("from-env").doesNotContain("from-file");
    }
}
