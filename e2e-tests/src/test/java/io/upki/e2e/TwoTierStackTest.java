package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.pki.x509.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/upki up --with-offline-root}: an offline root signs the online CA as an intermediate; a
 * client certificate it issues is accepted through the edge and the sidecar (which trusts only the
 * root), verifies with OpenSSL up to the root, and is refused once revoked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoTierStackTest {
    @RegisterExtension
    static final LocalStack stack = LocalStack.forClass(Map.of(), "--with-offline-root");
    @TempDir
    static Path client;

    @Test
    @Order(1)
    void theOnlineCaIsAnIntermediateOfTheOfflineRoot() throws Exception {
        assertThat(stack.up.stdout()).as(stack.up.toString()).contains("offline root");
        X509Certificate root = Pem.parseCertificate(Files.readString(stack.home.resolve("root/root.crt")));
        X509Certificate ca = Pem.parseCertificate(Files.readString(stack.home.resolve("ca/ca.crt")));
        assertThat(ca.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        ca.verify(root.getPublicKey());
        // The publisher serves the root's CRL beside the CA's.
        Command rootCrl = stack.run(client, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:" + stack.publisherPort + "/root.crl");
        assertThat(rootCrl.stdout()).isEqualTo("200");
    }

    @Test
    @Order(2)
    void aClientCertificateIsAcceptedThroughTheSidecarAndVerifiesUpToTheRoot() throws Exception {
        stack.generateAdminVerifiedUpToRoot(client);
        Command ok = stack.curl(client, "-s", "-w", "\n%{http_code}",
                "--cert", "admin.crt", "--key", "admin.key", "--cacert", "ca.crt", stack.health());
        assertThat(ok.stdout()).as(ok.toString() + "\n" + stack.logs()).endsWith("\n200").contains("\"role\":\"admin\"");
    }

    @Test
    @Order(3)
    void aRevokedLeafIsRefused() throws Exception {
        Command revoke = stack.cli(client, "revoke", "--dn", "/CN=admin.example.internal", "--reason", "keyCompromise");
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        assertThat(stack.cli(client, "generate-crl").exitCode()).isZero();
        assertThat(stack.awaitEdgeStatus(client, "admin", "403")).as("the revoked admin is refused").isEqualTo("403");
    }
}
