package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.CaFixture;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CurveKeys;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and failures: each gives its documented exit code and one line on stderr with the reason,
 * nothing on stdout, no stack trace, and no file left behind.
 */
class CliErrorsTest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().onPortBlock();
    static Map<String, String> env;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        int port = ca.port();
        env = Map.of("UPKI_CA_PORT", Integer.toString(port));
        work = Files.createDirectories(dir.resolve("work"));
    }

    static CliRun.Result fails(int code, Map<String, String> environment, String... args) {
        CliRun.Result r = CliRun.run(work, environment, args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isEqualTo(code);
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.err()).as("stderr").startsWith("upki-cli: ").endsWith("\n");
        assertThat(r.err().strip()).as("one line").doesNotContain("\n").doesNotContain("\tat ").doesNotContain("Exception");
        return r;
    }

    static CliRun.Result fails(int code, String... args) {
        return fails(code, env, args);
    }

    @Test
    void unknownProfileIsRefusedByTheCaBeforeAnyKeyIsMade() throws Exception {
        CliRun.Result r = fails(1, "generate", "--cn", "x.example.internal", "--profile", "nope");
        assertThat(r.err()).contains("Profile not found: nope");
        try (var files = Files.list(work)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("nope"))).isEmpty();
        }
    }

    @Test
    void unknownCertificateIsRefused() {
        assertThat(fails(1, "view", "--cn", "nobody.example.internal").err()).contains("Certificate not found");
        assertThat(fails(1, "revoke", "--serial", "0x1234").err()).contains("CA refused revoke");
    }

    @Test
    void malformedInputIsAUsageError() {
        assertThat(fails(2, "view", "--serial", "xyz").err()).contains("invalid serial 'xyz'");
        assertThat(fails(2, "view", "--serial", "-5").err()).contains("invalid serial");
        assertThat(fails(2, "view", "--dn", "not a dn").err()).contains("invalid DN");
        assertThat(fails(2, "revoke", "--cn", "x", "--reason", "bored").err()).contains("invalid --reason 'bored'")
                .contains("keyCompromise");
        assertThat(fails(2, "generate", "--cn", "x", "--san", "FOO:bar").err()).contains("unknown type FOO");
        assertThat(fails(2, "generate", "--cn", "x", "--san", "IP:999.1.1.1").err()).contains("not an IPv4 or IPv6");
        assertThat(fails(2, "generate", "--profile", "admin").err()).contains("Missing required option: '--cn=CN'")
                .contains("upki-cli generate --help");
        assertThat(fails(2, "generate", "--cn", "x", "--bogus").err()).contains("Unknown option: '--bogus'");
        assertThat(fails(2, "view", "--cn", "a", "--serial", "1").err()).contains("mutually exclusive");
        assertThat(fails(2, "list", "--port", "http").err()).contains("--port");
        assertThat(fails(2, Map.of("UPKI_CA_PORT", "99999"), "status").err()).contains("--port 99999 is not a TCP port");
        assertThat(fails(2, "frobnicate").err()).contains("Unmatched argument");
        assertThat(fails(2).err()).contains("a command is needed");
        assertThat(fails(2, "admins").err()).contains("list, add or remove");
        assertThat(fails(2, "list", "--ra", "http://127.0.0.1:8000").err()).contains("https://");
    }

    @Test
    void aTimeoutOutOfRangeIsAUsageErrorOnBothPorts() throws Exception {
        assertThat(fails(2, "status", "--timeout", "0").err()).contains("--timeout must be between 0 and 3600 seconds");
        // enrol goes to the registration port, which takes the same --timeout and must refuse the same values.
        Map<String, String> curve = Map.of("UPKI_CA_PORT", env.get("UPKI_CA_PORT"),
                "UPKI_CA_PUBLIC_KEY", CurveKeys.generate().publicKey(), "UPKI_CA_SEED", "not-the-seed");
        assertThat(fails(2, curve, "clients", "enrol", "--client-key", "timeout-test.key", "--timeout", "3601").err())
                .contains("--timeout must be between 0 and 3600 seconds");
        Files.deleteIfExists(work.resolve("timeout-test.key"));
    }

    @Test
    void localFileProblemsExitWith4() throws Exception {
        assertThat(fails(4, "revoke", "--from-file", "missing.txt").err()).contains("missing.txt");
        assertThat(fails(4, "list", "--ra", "https://127.0.0.1:1", "--cacert", "missing.crt").err()).contains("missing.crt");
        Path readOnly = Files.createDirectories(work.resolve("read-only"));
        readOnly.toFile().setWritable(false);
        try {
            if (!Files.isWritable(readOnly)) { // root ignores permissions; the check is then meaningless
                fails(4, "generate", "--cn", "ro.example.internal", "--profile", "user", "--out", "read-only");
            }
        } finally {
            readOnly.toFile().setWritable(true);
        }
    }

    @Test
    void crlSignedByAnotherCaFailsVerification() throws Exception {
        TestCa.initialize(dir.resolve("other-ca"), "ec");
        Files.copy(dir.resolve("other-ca/ca.crt"), work.resolve("other.crt"));
        assertThat(fails(5, "crl", "--cacert", "other.crt").err()).contains("the CRL failed verification");
    }

    @Test
    void aCaThatIsDownGivesExit3AtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        CliRun.Result r = fails(3, Map.of(), "generate", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--cn", "admin.example.internal", "--profile", "admin");
        assertThat(r.err()).contains("CA at tcp://127.0.0.1:" + port + " is unreachable: connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(work.resolve("admin.key")).doesNotExist();
        fails(3, Map.of("UPKI_CA_PORT", Integer.toString(port)), "status");
        fails(3, "list", "--ra", "https://127.0.0.1:" + port, "--cacert", ca.dir().resolve("ca.crt").toString());
    }

    @Test
    void aCaThatAcceptsButNeverAnswersGivesExit3WithinTheTimeout() throws Exception {
        // A listener that takes TCP connections and never speaks: the ZeroMQ handshake never completes.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            CliRun.Result r = fails(3, Map.of(), "status", "--port", Integer.toString(silent.getLocalPort()), "--timeout", "1");
            assertThat(r.err()).contains("did not answer get_ca_chain within 1000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
