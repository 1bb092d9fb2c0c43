package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.CaFixture;
import io.upki.ca.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca} (env {@code UPKI_CA}) with a real CA on loopback: a pair whose first CA is down still signs,
 * {@code --host} keeps working beside it, and a malformed list is a usage error in one line.
 */
class CliCaListTest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().onPortBlock();
    static int port;
    static int dead;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        port = ca.port();
        dead = TestCa.freePortBlock();
        work = Files.createDirectories(dir.resolve("work"));
    }

    private static String pair() {
        return "tcp://127.0.0.1:" + dead + ",tcp://127.0.0.1:" + port;
    }

    @Test
    void aPairWhoseFirstCaIsDownSigns() {
        CliRun.Result r = CliRun.run(work, Map.of(), "generate", "--ca", pair(), "--cn", "pair.example.internal",
                "--profile", "server", "--name", "pair", "--json");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.json().path("serial").isMissingNode()).isFalse();
        assertThat(work.resolve("pair.crt")).exists();
    }

    @Test
    void upkiCaFromTheEnvironmentIsUsedAndHostPortStillWork() {
        CliRun.Result viaEnv = CliRun.run(work, Map.of("UPKI_CA", pair()), "view", "--cn", "nobody.example.internal");
        // The CA answered (a refusal from it, exit 1), not "unreachable" (exit 3).
        assertThat(viaEnv.code()).as(viaEnv.toString()).isEqualTo(1);
        assertThat(viaEnv.err()).contains("Certificate not found");

        CliRun.Result viaHost = CliRun.run(work, Map.of(), "generate", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--cn", "host.example.internal", "--profile", "server", "--name", "host");
        assertThat(viaHost.code()).as(viaHost.toString()).isZero();
    }

    @Test
    void aPairWithNoCaUpIsUnreachableNamingBoth() {
        CliRun.Result r = CliRun.run(work, Map.of(), "status", "--ca",
                "tcp://127.0.0.1:" + dead + ",tcp://127.0.0.1:" + (dead + 1));

        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("tcp://127.0.0.1:" + dead + ",tcp://127.0.0.1:" + (dead + 1))
                .contains("connection refused; connection refused");
    }

    @Test
    void aMalformedListIsAUsageErrorInOneLine() {
        for (String bad : new String[] {"tcp://127.0.0.1:5000,", "http://127.0.0.1:5000", "tcp://127.0.0.1"}) {
            CliRun.Result r = CliRun.run(work, Map.of(), "status", "--ca", bad);
            assertThat(r.code()).as(bad + "\n" + r).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).startsWith("upki-cli: --ca (UPKI_CA): '" + bad + "'").doesNotContain("\n")
                    .doesNotContain("Exception");
        }
    }
}
