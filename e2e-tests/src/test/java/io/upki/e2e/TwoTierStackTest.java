package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/upki up --with-offline-root}: an offline root signs the online CA as an intermediate; a
 * client certificate it issues is accepted through the edge and the sidecar (which trusts only the
 * root), verifies with OpenSSL up to the root, and is refused once revoked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoTierStackTest {
    @TempDir
    static Path tmp;

    static LocalStack stack;
    static Path client;

    @BeforeAll
    static void up() throws IOException {
        stack = LocalStack.up(tmp.resolve("home"), Map.of(), "--with-offline-root");
        client = Files.createDirectories(tmp.resolve("client"));
    }

    @AfterAll
    static void down() throws IOException {
        if (stack != null) {
            stack.close();
        }
    }

    private Command cli(String... args) throws IOException {
        return stack.cli(client, args);
    }

    private Command run(String... argv) throws IOException {
        return Command.run(client, stack.env(), Duration.ofSeconds(30), argv);
    }

    private String health() {
        return "https://upki-ra:" + stack.raPort + "/api/v1/health";
    }

    @Test
    @Order(1)
    void theOnlineCaIsAnIntermediateOfTheOfflineRoot() throws Exception {
        assertThat(stack.up.stdout()).as(stack.up.toString()).contains("offline root");
        X509Certificate root = Pem.parseCertificate(Files.readString(stack.home.resolve("root/root.crt")));
        X509Certificate ca = Pem.parseCertificate(Files.readString(stack.home.resolve("ca/ca.crt")));
        assertThat(ca.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        ca.verify(root.getPublicKey());
        // The publisher serves the root's CRL beside the CA's.
        Command rootCrl = run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:" + stack.publisherPort + "/root.crl");
        assertThat(rootCrl.stdout()).isEqualTo("200");
    }

    @Test
    @Order(2)
    void aClientCertificateIsAcceptedThroughTheSidecarAndVerifiesUpToTheRoot() throws Exception {
        Command gen = cli("generate", "--host", "127.0.0.1", "--cn", "admin.example.internal", "--profile", "admin");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        Command verify = run("openssl", "verify", "-CAfile", stack.home.resolve("root/root.crt").toString(),
                "-untrusted", stack.home.resolve("ca/ca.crt").toString(), client.resolve("admin.crt").toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        Command ok = run("curl", "--resolve", "upki-ra:" + stack.raPort + ":127.0.0.1", "-s", "-w", "\n%{http_code}",
                "--cert", "admin.crt", "--key", "admin.key", "--cacert", "ca.crt", health());
        assertThat(ok.stdout()).as(ok.toString() + "\n" + stack.logs()).endsWith("\n200").contains("\"role\":\"admin\"");
    }

    @Test
    @Order(3)
    void aRevokedLeafIsRefused() throws Exception {
        Command revoke = cli("revoke", "--dn", "/CN=admin.example.internal", "--reason", "keyCompromise");
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        assertThat(cli("generate-crl").exitCode()).isZero();
        String status = "";
        for (int i = 0; i < 50 && !status.equals("403"); i++) {
            status = run("curl", "--resolve", "upki-ra:" + stack.raPort + ":127.0.0.1", "-s", "-o", "/dev/null", "-w",
                    "%{http_code}", "--cert", "admin.crt", "--key", "admin.key", "--cacert", "ca.crt", health()).stdout();
            Thread.sleep(100);
        }
        assertThat(status).as("the revoked admin is refused").isEqualTo("403");
    }
}
