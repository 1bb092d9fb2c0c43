package io.upki.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.pki.x509.Pem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ca-server issue}, as docker-compose's ca-init runs it: a proxy certificate and its key (0600)
 * from the store of a CA that is not running, recorded in that store, kept while valid, and refused
 * with a one-line reason for a missing CA, an unknown profile or a file name that would leave --out-dir.
 */
class IssueCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new CaServerMain());
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    private String[] issue(Path ca, Path out, String profile, String name) throws java.io.IOException {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("issue", "--data-dir", ca.toString(),
                "--seed", TestCa.SEED, "--profile", profile, "--cn", "upki-edge-proxy", "--san", "DNS:traefik",
                "--out-dir", out.toString(), "--name", name));
        // The store the CA of the run uses (the PostgreSQL run of the suite: TestStores).
        args.addAll(io.upki.ca.testing.TestStores.processOptions(ca));
        if (io.upki.ca.testing.TestStores.postgres()) {
            Path password = Files.writeString(dir.resolve("store-password"), new String(io.upki.ca.testing.TestStores.password(ca)));
            args.addAll(java.util.List.of("--store-password-file", password.toString()));
        }
        return args.toArray(String[]::new);
    }

    @Test
    void issuesAProxyCertificateAndKeyAndKeepsItWhileValid() throws Exception {
        Path ca = dir.resolve("ca");
        TestCa.initialize(ca, "ec");
        Path out = dir.resolve("traefik");
        assertThat(run(new StringWriter(), issue(ca, out, "proxy", "proxy"))).isZero();
        X509Certificate cert = Pem.parseCertificate(Files.readString(out.resolve("proxy.crt")));
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=upki-edge-proxy");
        assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        assertThat(Files.getPosixFilePermissions(out.resolve("proxy.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(out.resolve("ca.crt"))).isEqualTo(Files.readString(ca.resolve("ca.crt")));
        // The CA recorded it: it is revocable like any other certificate.
        try (TestCa running = TestCa.open(ca, java.time.Duration.ofDays(7), null, java.time.Clock.systemUTC())) {
            assertThat(running.client().call(io.upki.pki.wire.CaTask.VIEW,
                    io.upki.pki.caclient.CaClient.params().put("serial", cert.getSerialNumber().toString(16))).toString())
                    .contains("upki-edge-proxy");
        }
        // Run again (every `docker compose up`): still valid, so kept.
        byte[] before = Files.readAllBytes(out.resolve("proxy.crt"));
        assertThat(run(new StringWriter(), issue(ca, out, "proxy", "proxy"))).isZero();
        assertThat(Files.readAllBytes(out.resolve("proxy.crt"))).isEqualTo(before);
        // A key that no longer matches the certificate (a half-replaced pair) is replaced, not kept.
        Files.writeString(out.resolve("proxy.key"), Pem.encodePrivateKey(
                java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate(), null), StandardCharsets.US_ASCII);
        assertThat(run(new StringWriter(), issue(ca, out, "proxy", "proxy"))).isZero();
        assertThat(Files.readAllBytes(out.resolve("proxy.crt"))).isNotEqualTo(before);
    }

    @Test
    void refusalsAreOneLineAndWriteNothing() throws Exception {
        Path ca = dir.resolve("ca");
        Path out = dir.resolve("out");
        StringWriter noCa = new StringWriter();
        assertThat(run(noCa, issue(ca, out, "proxy", "proxy"))).isNotZero();
        assertThat(noCa.toString()).contains("no CA in");
        TestCa.initialize(ca, "ec");
        StringWriter profile = new StringWriter();
        assertThat(run(profile, issue(ca, out, "no-such-profile", "proxy"))).isNotZero();
        assertThat(profile.toString().strip()).doesNotContain("\n\tat ").isNotEmpty();
        StringWriter name = new StringWriter();
        assertThat(run(name, issue(ca, out, "proxy", "../escape"))).isNotZero();
        assertThat(name.toString()).contains("--name");
        assertThat(out).doesNotExist();
        assertThat(List.of(Files.list(dir).toArray())).doesNotContain(dir.resolve("escape.key"));
    }
}
