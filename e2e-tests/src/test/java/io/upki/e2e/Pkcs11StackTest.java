package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import io.upki.testkit.softhsm.SoftHsm;

/**
 * Issue #17's "done when": the two-tier PKI with the online CA's key in a real SoftHSM2 token runs the
 * user guide (generate, 200 through nginx and the sidecar, revoke, refused), the leaf verifies with
 * OpenSSL up to the root, and no file in the CA's folder holds the issuing key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Pkcs11StackTest {
    @TempDir
    static Path tmp;

    static LocalStack stack;
    static Path client;

    @BeforeAll
    static void up() throws Exception {
        SoftHsm hsm = SoftHsm.in(tmp);
        hsm.initToken("upki-online-ca", "5678");
        Path pin = tmp.resolve("ca.pin");
        Files.writeString(pin, "5678\n");
        Map<String, String> env = new java.util.HashMap<>(hsm.env());
        env.putAll(Map.of("UPKI_PKCS11_MODULE", SoftHsm.MODULE,
                "UPKI_PKCS11_TOKEN", "upki-online-ca", "UPKI_PKCS11_KEY", "issuing-key",
                "UPKI_PKCS11_PIN_FILE", pin.toString()));
        stack = LocalStack.up(tmp.resolve("home"), env, "--with-offline-root");
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

    private String status() throws IOException {
        return run("curl", "--resolve", "upki-ra:" + stack.raPort + ":127.0.0.1", "-s", "-o", "/dev/null", "-w",
                "%{http_code}", "--cert", "admin.crt", "--key", "admin.key", "--cacert", "ca.crt",
                "https://upki-ra:" + stack.raPort + "/api/v1/health").stdout();
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
        Command gen = cli("generate", "--host", "127.0.0.1", "--cn", "admin.example.internal", "--profile", "admin");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        Command verify = run("openssl", "verify", "-CAfile", stack.home.resolve("root/root.crt").toString(),
                "-untrusted", stack.home.resolve("ca/ca.crt").toString(), client.resolve("admin.crt").toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(status()).as(stack.logs()).isEqualTo("200");

        Command revoke = cli("revoke", "--dn", "/CN=admin.example.internal", "--reason", "keyCompromise");
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        assertThat(cli("generate-crl").exitCode()).isZero();
        String status = "";
        for (int i = 0; i < 50 && !status.equals("403"); i++) {
            status = status();
            Thread.sleep(100);
        }
        assertThat(status).as("the revoked admin is refused (a CRL signed in the token)").isEqualTo("403");
    }

    private static boolean holdsPrivateKey(Path file) {
        try {
            return Files.size(file) < 1_000_000 && Files.readString(file).contains("PRIVATE KEY");
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // binary files (the store) are not PEM keys
        }
    }
}
