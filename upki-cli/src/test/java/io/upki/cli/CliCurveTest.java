package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.CaFixture;
import io.upki.ca.testing.TestCa;
import io.upki.cli.context.ExitCode;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CurveKeys;
import io.upki.pki.wire.CaTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** upki-cli against a CA with {@code --client-auth curve}: operator keys, enrolment, the clients command. */
class CliCurveTest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().curve();
    static Path work;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        int port = ca.port();
        work = Files.createDirectories(dir.resolve("work"));
        env = new HashMap<>();
        env.put("UPKI_CA_PORT", Integer.toString(port));
        env.put("UPKI_CA_PUBLIC_KEY", ca.dir().resolve("curve.pub").toString());
        env.put("HOME", dir.resolve("home").toString());
    }

    static CliRun.Result run(Map<String, String> environment, String... args) {
        return CliRun.run(work, environment, args);
    }

    static CliRun.Result ok(String... args) {
        CliRun.Result r = run(env, args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    @Test
    void anOperatorKeyAddedByAnOperatorIssuesAndManagesClients() throws Exception {
        String pub = ok("clients", "keygen").out().strip();
        Path keyFile = dir.resolve("home/.config/upki/ca-client.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(CurveKeys.load(keyFile).publicKey()).isEqualTo(pub);

        // The CA has an operator already: a second key cannot make itself one with the seed.
        Map<String, String> withSeed = new HashMap<>(env);
        withSeed.put("UPKI_CA_SEED", TestCa.SEED);
        CliRun.Result refused = run(withSeed, "clients", "enrol");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(refused.err()).contains("already has an operator");

        ca.client().call(CaTask.ADD_CLIENT, CaClient.params().put("public_key", pub).put("role", "operator")
                .put("name", "alice"));
        ok("generate", "--cn", "admin.example.internal", "--profile", "admin");
        assertThat(work.resolve("admin.crt")).exists();

        String publisher = ok("clients", "keygen", "publisher.key").out().strip();
        ok("clients", "add", "--role", "crl-publisher", "--name", "crl-publisher", "--public-key-file", "publisher.key");
        assertThat(ok("clients", "list").out()).contains("crl-publisher", publisher, "operator", pub, "alice");
        ok("clients", "remove", "--public-key-file", "publisher.key");
        assertThat(ok("clients", "list", "--json").out()).doesNotContain(publisher);
    }

    @Test
    void aKeyTheCaDoesNotKnowGetsNoAnswerAndATellingMessage() {
        Map<String, String> stranger = new HashMap<>(env);
        stranger.put("UPKI_CLI_CLIENT_KEY", dir.resolve("stranger.key").toString());
        CliRun.Result r = run(stranger, "profiles", "--timeout", "1");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(r.err()).contains("CURVE").contains("known to the CA");
    }

    @Test
    void aBadCaPublicKeyIsAUsageError() {
        Map<String, String> bad = new HashMap<>(env);
        bad.put("UPKI_CA_PUBLIC_KEY", "not-a-key");
        CliRun.Result r = run(bad, "profiles");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).startsWith("upki-cli: CA public key");
    }

    @Test
    void adminBootstrapEnrolsTheFirstOperatorOfANewCurveCa(@TempDir Path other) throws Exception {
        int port = TestCa.freePortBlock();
        TestCa.initialize(other.resolve("ca"), "ec");
        io.upki.ca.config.CaConfig config = new io.upki.ca.config.CaConfig(other.resolve("ca"), "127.0.0.1", port,
                port + 1, port + 2, java.time.Duration.ofDays(7), null);
        try (io.upki.ca.CaServer server = io.upki.ca.CaServer.open(config, io.upki.ca.access.ClientAuth.CURVE, null, null,
                java.time.Clock.systemUTC(), new java.security.SecureRandom())) {
            server.start();
            Map<String, String> fresh = new HashMap<>();
            fresh.put("UPKI_CA_PORT", Integer.toString(port));
            fresh.put("UPKI_CA_PUBLIC_KEY", server.curvePublicKey());
            fresh.put("HOME", other.resolve("home").toString());
            fresh.put("UPKI_CA_SEED", TestCa.SEED);
            Path out = Files.createDirectories(other.resolve("out"));
            CliRun.Result r = CliRun.run(out, fresh, "admin", "bootstrap", "--cn", "admin.example.internal");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(out.resolve("admin.crt")).exists();
            fresh.remove("UPKI_CA_SEED");
            CliRun.Result list = CliRun.run(out, fresh, "clients", "list");
            assertThat(list.out()).contains("operator").contains("admin.example.internal");
        }
    }
}
