package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key rollover of the two-tier stack ({@code bin/upki up --with-offline-root}) while everything runs:
 * a client certificate issued before and one issued after both pass the edge (nginx, then the sidecar,
 * which learns the new intermediate from the CA and reads both generations' CRLs from the publisher),
 * both verify with OpenSSL up to the root, and each is refused at the edge once revoked, without a
 * restart of anything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloverStackTest {
    @RegisterExtension
    static final LocalStack stack = LocalStack.forClass(Map.of(), "--with-offline-root");
    @TempDir
    static Path tmp;
    @TempDir
    static Path before;
    @TempDir
    static Path after;

    private Command cli(Path dir, String... args) throws IOException {
        return stack.cli(dir, args);
    }

    private Command run(Path dir, Duration timeout, String... argv) throws IOException {
        return Command.run(dir, stack.env(), timeout, argv);
    }

    private static Path leaf(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".crt") && !f.getFileName().toString().equals("ca.crt"))
                    .findFirst().orElseThrow();
        }
    }

    private static Path key(Path dir) throws IOException {
        String name = leaf(dir).getFileName().toString();
        return dir.resolve(name.substring(0, name.length() - 4) + ".key");
    }

    /** The edge's answer for the client certificate in {@code dir}. */
    private String status(Path dir) throws IOException {
        return stack.curl(dir, "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cert", leaf(dir).toString(),
                "--key", key(dir).toString(), "--cacert", "ca.crt", stack.health()).stdout();
    }

    /** Polls the edge until it answers {@code expected}; the time it took, or fails after {@code limit}. */
    private long awaitStatus(Path dir, String expected, Duration limit) throws Exception {
        long start = System.nanoTime();
        String last = "";
        while (System.nanoTime() - start < limit.toNanos()) {
            last = status(dir);
            if (last.equals(expected)) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the edge answered " + last + ", not " + expected + ", for " + limit + "\n" + stack.logs());
    }

    @Test
    @Order(1)
    void aCertificateFromBeforeTheRolloverPassesTheEdge() throws Exception {
        Command gen = cli(before, "generate", "--host", "127.0.0.1", "--cn", "before.example.internal", "--profile", "admin");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        assertThat(status(before)).as(stack.logs()).isEqualTo("200");
    }

    @Test
    @Order(2)
    void theCaRollsOverWhileTheStackRuns() throws Exception {
        Path home = stack.home;
        Command prepare = run(stack.root, Duration.ofMinutes(2), "bin/upki", "ca-server", "rollover", "--data-dir",
                home.resolve("ca").toString());
        assertThat(prepare.exitCode()).as(prepare.toString()).isZero();
        Command sign = run(stack.root, Duration.ofMinutes(2), "bin/upki", "root", "sign", "--dir", home.resolve("root").toString(),
                "--csr", home.resolve("ca/next/ca.csr").toString(), "--out", tmp.resolve("next.crt").toString());
        assertThat(sign.exitCode()).as(sign.toString()).isZero();
        Command install = run(stack.root, Duration.ofMinutes(2), "bin/upki", "ca-server", "rollover", "--data-dir",
                home.resolve("ca").toString(), "--install", "--cert", tmp.resolve("next.crt").toString());
        assertThat(install.exitCode()).as(install.toString()).isZero();
        X509Certificate g2 = Pem.parseCertificate(Files.readString(tmp.resolve("next.crt")));
        // The running CA signs with the new key within a few seconds: the next certificate names it.
        X509Certificate issued = null;
        for (int i = 0; i < 50; i++) {
            Path dir = Files.createDirectories(tmp.resolve("probe-" + i));
            Command gen = cli(dir, "generate", "--host", "127.0.0.1", "--cn", "after.example.internal", "--profile",
                    "admin", "--force");
            assertThat(gen.exitCode()).as(gen.toString()).isZero();
            issued = Pem.parseCertificate(Files.readString(leaf(dir)));
            if (issued.getIssuerX500Principal().equals(g2.getSubjectX500Principal())) {
                Files.copy(leaf(dir), after.resolve(leaf(dir).getFileName()));
                Files.copy(key(dir), after.resolve(key(dir).getFileName()));
                Files.copy(dir.resolve("ca.crt"), after.resolve("ca.crt"));
                break;
            }
            Thread.sleep(200);
        }
        assertThat(issued.getIssuerX500Principal()).isEqualTo(g2.getSubjectX500Principal());
    }

    @Test
    @Order(3)
    void certificatesOfBothGenerationsPassTheEdgeAndVerifyUpToTheRoot() throws Exception {
        long learned = awaitStatus(after, "200", Duration.ofSeconds(30));
        System.out.println("edge accepted the first certificate of the new generation after " + learned + " ms");
        assertThat(status(before)).as(stack.logs()).isEqualTo("200");
        // after/ca.crt is upki-cli's get_ca_chain bundle: both intermediates and the root.
        for (Path dir : new Path[] {before, after}) {
            Command verify = stack.verifyUpToRoot(dir, after.resolve("ca.crt"), leaf(dir));
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
        }
    }

    @Test
    @Order(4)
    void aRevokedCertificateOfEitherGenerationIsRefused() throws Exception {
        for (Path dir : new Path[] {before, after}) {
            X509Certificate cert = Pem.parseCertificate(Files.readString(leaf(dir)));
            Command revoke = cli(dir, "revoke", "--serial", cert.getSerialNumber().toString(), "--reason", "keyCompromise");
            assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
            long ms = awaitStatus(dir, "403", Duration.ofSeconds(10));
            System.out.println("revocation of " + cert.getIssuerX500Principal().getName() + " certificate refused at the edge after "
                    + ms + " ms");
        }
    }
}
