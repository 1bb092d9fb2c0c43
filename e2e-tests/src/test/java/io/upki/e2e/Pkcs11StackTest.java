package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.testkit.softhsm.SoftHsm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17's "done when": the two-tier PKI with the online CA's key in a real SoftHSM2 token runs the
 * user guide (generate, 200 through nginx and the sidecar, revoke, refused), the leaf verifies with
 * OpenSSL up to the root, and no file in the CA's folder holds the issuing key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Pkcs11StackTest {
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final LocalStack stack = LocalStack.forClass(Map.of(), "--with-offline-root").before(Pkcs11StackTest::token);
    @TempDir
    static Path client;

    /** The online CA's token, in a SoftHSM2 of the test's own: the environment that points the stack to it. */
    static Map<String, String> token() throws Exception {
        SoftHsm hsm = SoftHsm.in(tmp);
        hsm.initToken("upki-online-ca", "5678");
        Path pin = tmp.resolve("ca.pin");
        Files.writeString(pin, "5678\n");
        Map<String, String> env = new java.util.HashMap<>(hsm.env());
        env.putAll(Map.of("UPKI_PKCS11_MODULE", SoftHsm.MODULE,
                "UPKI_PKCS11_TOKEN", "upki-online-ca", "UPKI_PKCS11_KEY", "issuing-key",
                "UPKI_PKCS11_PIN_FILE", pin.toString()));
        return env;
    }

    @Test
    @Order(1)
    void noFileInTheCaFolderHoldsTheIssuingKey() throws Exception {
        assertThat(stack.up.stdout()).as(stack.up.toString()).contains("offline root");
        Path ca = stack.home.resolve("ca");
        assertThat(ca.resolve("ca.key")).doesNotExist();
        try (Stream<Path> files = Files.walk(ca)) {
            List<Path> keys = files.filter(Files::isRegularFile).filter(Pkcs11StackTest::holdsPrivateKey).toList();
            assertThat(keys).as("files under %s holding a private key", ca).isEmpty();
        }
        // The root stays a file of its own folder: the demonstration root never took the CA's token.
        assertThat(stack.home.resolve("root/root.key")).exists();
    }

    @Test
    @Order(2)
    void theUserGuideRunsWithTheKeyInTheToken() throws Exception {
        stack.generateAdminVerifiedUpToRoot(client);
        assertThat(stack.edgeStatus(client, "admin")).as(stack.logs()).isEqualTo("200");

        Command revoke = stack.cli(client, "revoke", "--dn", "/CN=admin.example.internal", "--reason", "keyCompromise");
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        assertThat(stack.cli(client, "generate-crl").exitCode()).isZero();
        assertThat(stack.awaitEdgeStatus(client, "admin", "403")).as("the revoked admin is refused (a CRL signed in the token)").isEqualTo("403");
    }

    private static boolean holdsPrivateKey(Path file) {
        try {
            return Files.size(file) < 1_000_000 && Files.readString(file).contains("PRIVATE KEY");
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // binary files (the store) are not PEM keys
        }
    }
}
