package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.ca.testing.CaFixture;
import io.upki.cli.context.CliContext;
import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command of upki-cli over ZeroMQ against a real CA, in human and JSON output. */
class CliCommandsTest {
    @TempDir
    static Path dir;
    // An EC profile keeps local key generation fast for the bulk tests.
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().onPortBlock().edgeProfile();
    static Map<String, String> env;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        int port = ca.port();
        env = Map.of("UPKI_CA_HOST", "127.0.0.1", "UPKI_CA_PORT", Integer.toString(port));
        work = Files.createDirectories(dir.resolve("work"));
    }

    static CliRun.Result ok(String... args) {
        CliRun.Result r = CliRun.run(work, env, args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    static BigInteger issue(String cn, String name) {
        return ok("generate", "--cn", cn, "--profile", "edge", "--name", name, "--json").json().path("serial").bigIntegerValue();
    }

    @Test
    void generateWithSansWritesThemIntoTheCertificate() throws Exception {
        CliRun.Result r = ok("generate", "--cn", "web.example.internal", "--profile", "edge", "--san", "DNS:web.example.internal",
                "--san", "DNS:www.example.internal", "--san", "IP:127.0.0.1", "--name", "web", "--out", "sans", "--json");
        X509Certificate cert = Pem.parseCertificate(Files.readString(work.resolve("sans/web.crt")));
        assertThat(cert.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .containsExactlyInAnyOrder("web.example.internal", "www.example.internal", "127.0.0.1");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(r.json().path("serial_hex").asText()).isEqualTo(cert.getSerialNumber().toString(16));
    }

    @Test
    void listAndViewShowIssuedCertificates() {
        BigInteger serial = issue("list-me.example.internal", "list-me");
        JsonNode all = ok("list", "--json").json();
        assertThat(all.isArray()).isTrue();
        List<BigInteger> serials = new ArrayList<>();
        all.forEach(n -> serials.add(n.path("serial").bigIntegerValue()));
        assertThat(serials).contains(serial);

        JsonNode filtered = ok("list", "--cn", "list-me.example.internal", "--state", "valid", "--json").json();
        assertThat(filtered).hasSize(1);
        assertThat(filtered.get(0).path("profile").asText()).isEqualTo("edge");
        assertThat(ok("list", "--cn", "list-me.example.internal").out()).contains("0x" + serial.toString(16)).contains("1 certificate");

        for (String[] by : new String[][] {{"--serial", "0x" + serial.toString(16)}, {"--serial", serial.toString()},
                {"--cn", "list-me.example.internal"}, {"--dn", "/C=FR/O=Company/OU=Edge/CN=list-me.example.internal"},
                {"--dn", "CN=list-me.example.internal,OU=Edge,O=Company,C=FR"}}) {
            JsonNode view = ok("view", by[0], by[1], "--json").json();
            assertThat(view.path("serial_number").bigIntegerValue()).as(by[0] + " " + by[1]).isEqualTo(serial);
        }
        String human = ok("view", "--serial", serial.toString()).out();
        assertThat(human).contains("/C=FR/O=Company/OU=Edge/CN=list-me.example.internal").contains("state        valid");
    }

    @Test
    void renewIssuesANewSerialForTheSameKey() throws Exception {
        BigInteger old = issue("renew-me.example.internal", "renew-me");
        X509Certificate before = Pem.parseCertificate(Files.readString(work.resolve("renew-me.crt")));
        JsonNode r = ok("renew", "--cn", "renew-me.example.internal", "--duration", "3", "--out", "renew-me.crt", "--json").json();
        X509Certificate after = Pem.parseCertificate(Files.readString(work.resolve("renew-me.crt")));
        assertThat(after.getSerialNumber()).isEqualTo(r.path("serial").bigIntegerValue()).isNotEqualTo(old);
        assertThat(after.getPublicKey()).isEqualTo(before.getPublicKey());
        assertThat(after.getSubjectX500Principal()).isEqualTo(before.getSubjectX500Principal());
        // Without --out the certificate goes to stdout, the summary to stderr.
        CliRun.Result printed = ok("renew", "--serial", after.getSerialNumber().toString());
        assertThat(Pem.parseCertificate(printed.out()).getPublicKey()).isEqualTo(before.getPublicKey());
        assertThat(printed.err()).contains("renewed serial 0x");
    }

    @Test
    void revokedCertificateAppearsInTheVerifiedCrlWithItsReason() throws Exception {
        BigInteger serial = issue("revoke-me.example.internal", "revoke-me");
        ok("revoke", "--dn", "/CN=revoke-me.example.internal", "--reason", "keyCompromise");
        JsonNode crl = ok("generate-crl", "--json").json();
        BigInteger number = crl.path("number").bigIntegerValue();
        assertThat(number.signum()).isPositive();

        JsonNode shown = ok("crl", "--json", "--out", "crl.der").json();
        assertThat(shown.path("number").bigIntegerValue()).isGreaterThanOrEqualTo(number);
        assertThat(shown.path("next_update").asText()).isNotEmpty();
        JsonNode entry = null;
        for (JsonNode e : shown.path("entries")) {
            if (e.path("serial").bigIntegerValue().equals(serial)) {
                entry = e;
            }
        }
        assertThat(entry).as("CRL entry for " + serial).isNotNull();
        assertThat(entry.path("reason").asText()).isEqualTo("keyCompromise");
        assertThat(Files.readAllBytes(work.resolve("crl.der"))[0]).isEqualTo((byte) 0x30);

        String human = ok("crl").out();
        assertThat(human).contains("signature verified").contains("0x" + serial.toString(16)).contains("keyCompromise")
                .contains("next update");
        assertThat(ok("view", "--serial", serial.toString(), "--json").json().path("is_revoked").asBoolean()).isTrue();
    }

    @Test
    void bulkRevokeFromAFileReportsEachRefusedLineAndDrawsAProgressBarOnATerminal() throws Exception {
        BigInteger a = issue("bulk-a.example.internal", "bulk-a");
        BigInteger b = issue("bulk-b.example.internal", "bulk-b");
        issue("bulk-c.example.internal", "bulk-c");
        Files.writeString(work.resolve("to-revoke.txt"), "# leaving staff\n0x" + a.toString(16) + "\n" + b + "\n\n"
                + "/C=FR/O=Company/OU=Edge/CN=bulk-c.example.internal\nnobody.example.internal\n");
        CliRun.Result r = CliRun.run(work, env, true, "revoke", "--from-file", "to-revoke.txt", "--reason", "cessationOfOperation",
                "--json");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        JsonNode json = r.json();
        assertThat(json.path("revoked").asInt()).isEqualTo(3);
        assertThat(json.path("total").asInt()).isEqualTo(4);
        assertThat(json.path("failures")).hasSize(1);
        assertThat(json.path("failures").get(0).path("line").asInt()).isEqualTo(6);
        assertThat(json.path("failures").get(0).path("error").asText()).contains("Certificate not found");
        assertThat(r.err()).contains("\rrevoke [").contains("4/4").contains("line 6: ");
        // A typo anywhere stops the run before anything is revoked.
        Files.writeString(work.resolve("typo.txt"), "0x" + b.toString(16) + "\n0xZZ\n");
        CliRun.Result typo = CliRun.run(work, env, "revoke", "--from-file", "typo.txt");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("line 2");
    }

    @Test
    void bulkGenerateIssuesNumberedIdentitiesWithAProgressBar() throws Exception {
        CliRun.Result r = CliRun.run(work, env, true, "generate", "--count", "3", "--cn", "node-{n}.example.internal",
                "--profile", "edge", "--out", "fleet", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.json()).hasSize(3);
        for (int n = 1; n <= 3; n++) {
            Path key = work.resolve("fleet/node-" + n + ".example.internal.key");
            assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Pem.parseCertificate(Files.readString(work.resolve("fleet/node-" + n + ".example.internal.crt")))
                    .getSubjectX500Principal().getName()).contains("CN=node-" + n + ".example.internal");
        }
        assertThat(r.err()).contains("\rgenerate [").contains("3/3 100%");
        // Without a terminal there is no bar, and without {n} the number goes before the first dot.
        CliRun.Result quiet = CliRun.run(work, env, "generate", "--count", "2", "--cn", "gw.example.internal",
                "--profile", "edge", "--out", "gw");
        assertThat(quiet.code()).as(quiet.toString()).isZero();
        assertThat(quiet.err()).isEmpty();
        assertThat(work.resolve("gw/gw-2.example.internal.crt")).exists();
    }

    @Test
    void adminsListAddRemove() throws Exception {
        String dn = "/C=FR/O=Company/OU=Admins/CN=second-admin.example.internal";
        ok("admins", "add", dn);
        assertThat(ok("admins", "list").out()).contains(dn);
        JsonNode list = ok("admins", "list", "--json").json();
        assertThat(list.toString()).contains(dn);
        ok("admins", "remove", dn);
        assertThat(ok("admins", "list", "--json").json().toString()).doesNotContain(dn);

        issue("from-cert.example.internal", "from-cert");
        ok("admins", "add", "--from-cert", "from-cert.crt");
        assertThat(ok("admins", "list").out()).contains("/C=FR/O=Company/OU=Edge/CN=from-cert.example.internal");
    }

    @Test
    void adminBootstrapIssuesAndListsTheFirstAdmin() throws Exception {
        CliRun.Result r = ok("admin", "bootstrap", "--cn", "first-admin.example.internal", "--profile", "edge",
                "--out", "bootstrap", "--name", "admin", "--json");
        String dn = r.json().path("issued").path("dn").asText();
        assertThat(dn).isEqualTo("/C=FR/O=Company/OU=Edge/CN=first-admin.example.internal");
        assertThat(r.json().path("admins").toString()).contains(dn);
        assertThat(ca.client().listAdmins()).contains(dn);
        assertThat(Files.getPosixFilePermissions(work.resolve("bootstrap/admin.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void profilesAndStatus() {
        JsonNode profiles = ok("profiles", "--json").json();
        assertThat(profiles.path("admin").path("keyType").asText()).isEqualTo("rsa");
        assertThat(profiles.path("edge").path("keyLen").asInt()).isEqualTo(256);
        assertThat(ok("profiles").out()).contains("admin").contains("rsa-4096").contains("clientAuth");
        assertThat(ok("profiles", "edge", "--json").json().size()).isEqualTo(1);

        JsonNode status = ok("status", "--json").json();
        assertThat(status.path("reachable").asBoolean()).isTrue();
        assertThat(status.path("round_trip_ms").asDouble()).isPositive();
        assertThat(status.path("ca_subject").asText()).contains("CN=");
        assertThat(status.path("crl_number").isNumber()).isTrue();
        assertThat(ok("status").out()).contains("is reachable").contains("CRL number");
    }

    @Test
    void helpOnEveryCommandVersionAndCompletion() {
        List<String[]> paths = new ArrayList<>();
        collect(UpkiCli.commandLine(new CliContext(work, Map.of(), new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()), Clock.systemUTC(), false)), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(14);
        for (String[] path : paths) {
            String[] args = java.util.Arrays.copyOf(path, path.length + 1);
            args[path.length] = "--help";
            CliRun.Result r = CliRun.run(work, env, args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).contains("Usage: upki-cli");
        }
        assertThat(ok("--help").out()).contains("Exit codes:");
        assertThat(ok("--version").out()).matches("(?s)upki-cli \\d+\\.\\d+\\.\\d+.*");
        String completion = ok("completion").out();
        assertThat(completion).contains("complete -F").contains("generate").contains("generate-crl").contains("--from-file");
    }

    private static void collect(CommandLine cl, List<String> prefix, List<String[]> out) {
        out.add(prefix.toArray(String[]::new));
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().aliases().length == 0 || !name.equals(sub.getCommandSpec().aliases()[0])) {
                List<String> next = new ArrayList<>(prefix);
                next.add(name);
                collect(sub, next, out);
            }
        });
    }
}
