package io.upki.ca.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.ca.testing.CliProcess;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.Pem;
import io.upki.testkit.softhsm.SoftHsm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CA keys in a real SoftHSM2 token created by the test: root and intermediate keys generated inside
 * the token (no key file), certificates and CRLs signed through it, and every token refusal at start.
 */
class Pkcs11KeyTest {
    private static final String MODULE = Pkcs11Settings.DEFAULT_MODULE;

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private SoftHsm hsm;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void token() throws Exception {
        hsm = SoftHsm.in(dir);
        env.putAll(hsm.env());
        hsm.initToken("upki-root", "1234");
        hsm.initToken("upki-ca", "5678");
        Files.writeString(dir.resolve("root.pin"), "1234\n");
        Files.writeString(dir.resolve("ca.pin"), "5678\n");
        Files.writeString(dir.resolve("wrong.pin"), "0000\n");
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoTierWithBothKeysInTokensSignsCertificatesAndCrlsThroughTheToken() throws Exception {
        Path root = dir.resolve("root");
        Path ca = dir.resolve("ca");
        ok(CliProcess.ROOT_MAIN, "init", "--dir", root.toString(), "--key-type", "ec", "--pkcs11-module", MODULE,
                "--pkcs11-token", "upki-root", "--pkcs11-key", "root", "--pkcs11-pin-file", dir.resolve("root.pin").toString());
        assertThat(root.resolve("root.key")).doesNotExist();
        assertThat(root.resolve("root.crt")).exists();
        ok(CliProcess.CA_MAIN, "init", "--intermediate", "--data-dir", ca.toString(), "--key-type", "ec", "--seed", TestCa.SEED,
                "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing", "--pkcs11-pin-file", dir.resolve("ca.pin").toString());
        assertThat(ca.resolve("ca.key")).doesNotExist();
        // The same label again: the token key is never replaced.
        CliProcess.Result again = CliProcess.run(env, CliProcess.CA_MAIN, "init", "--intermediate", "--data-dir",
                dir.resolve("ca2").toString(), "--key-type", "ec", "--seed", TestCa.SEED, "--pkcs11-token", "upki-ca",
                "--pkcs11-key", "issuing", "--pkcs11-pin-file", dir.resolve("ca.pin").toString());
        assertThat(again.exit()).isNotZero();
        assertThat(again.lastLine()).contains("already holds a key labelled 'issuing'");
        ok(CliProcess.ROOT_MAIN, "sign", "--dir", root.toString(), "--csr", ca.resolve("ca.csr").toString(), "--out",
                dir.resolve("ca.crt").toString(), "--pkcs11-token", "upki-root", "--pkcs11-key", "root",
                "--pkcs11-pin-file", dir.resolve("root.pin").toString());
        ok(CliProcess.CA_MAIN, "install", "--data-dir", ca.toString(), "--cert", dir.resolve("ca.crt").toString(), "--chain",
                root.resolve("root.crt").toString());

        int port = TestCa.freePortBlock();
        Process server = CliProcess.startCa(env, dir.resolve("ca.log"), Duration.ofSeconds(90), "start", "--data-dir",
                ca.toString(), "--port", Integer.toString(port), "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing",
                "--pkcs11-pin-file", dir.resolve("ca.pin").toString());
        started.add(server);
        X509Certificate intermediate = Pem.parseCertificate(Files.readString(ca.resolve("ca.crt")));
        try (ZmqCaClient client = new ZmqCaClient("tcp://127.0.0.1:" + port, t -> Duration.ofSeconds(30), 0, new WireCodec())) {
            JsonNode issued = client.call(CaTask.GENERATE, CaClient.params().put("cn", "admin.example.internal").put("profile", "admin"));
            Files.writeString(dir.resolve("admin.crt"), issued.get("certificate").asText());
            CliProcess.opensslVerify(root.resolve("root.crt"), ca.resolve("ca.crt"), dir.resolve("admin.crt"));
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new java.io.ByteArrayInputStream(
                    Base64.getDecoder().decode(client.call(CaTask.GENERATE_CRL, CaClient.params()).asText())));
            crl.verify(intermediate.getPublicKey());
        }
        // No file in either directory holds a private key.
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve("tokens")))
                    .filter(p -> p.toString().endsWith(".key") && !p.getFileName().toString().equals("curve.key")
                            && !p.getParent().getFileName().toString().equals("private"))).isEmpty();
        }
    }

    @Test
    void startStopsWithOneLineForAMissingTokenAWrongPinAndAMissingKey() throws Exception {
        Path ca = dir.resolve("ca");
        ok(CliProcess.CA_MAIN, "init", "--data-dir", ca.toString(), "--key-type", "ec", "--seed", TestCa.SEED,
                "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing", "--pkcs11-pin-file", dir.resolve("ca.pin").toString());
        String port = Integer.toString(TestCa.freePortBlock());
        assertRefused("no token labelled 'nope'", "start", "--data-dir", ca.toString(), "--port", port,
                "--pkcs11-token", "nope", "--pkcs11-key", "issuing", "--pkcs11-pin-file", dir.resolve("ca.pin").toString());
        assertRefused("wrong PIN", "start", "--data-dir", ca.toString(), "--port", port,
                "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing", "--pkcs11-pin-file", dir.resolve("wrong.pin").toString());
        assertRefused("no private key labelled 'other'", "start", "--data-dir", ca.toString(), "--port", port,
                "--pkcs11-token", "upki-ca", "--pkcs11-key", "other", "--pkcs11-pin-file", dir.resolve("ca.pin").toString());
        assertRefused("no ca.key", "start", "--data-dir", ca.toString(), "--port", port);
        // The other token's key does not belong to ca.crt.
        ok(CliProcess.ROOT_MAIN, "init", "--dir", dir.resolve("root").toString(), "--key-type", "ec", "--pkcs11-token", "upki-root",
                "--pkcs11-key", "root", "--pkcs11-pin-file", dir.resolve("root.pin").toString());
        assertRefused("does not belong to ca.crt", "start", "--data-dir", ca.toString(), "--port", port,
                "--pkcs11-token", "upki-root", "--pkcs11-key", "root", "--pkcs11-pin-file", dir.resolve("root.pin").toString());
        assertRefused("module /nonexistent.so does not exist", "start", "--data-dir", ca.toString(), "--port", port,
                "--pkcs11-module", "/nonexistent.so", "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing",
                "--pkcs11-pin-file", dir.resolve("ca.pin").toString());
    }

    @Test
    void aTokenFailingMidOperationAnswersAnAuthorityErrorAndLosesNothing() throws Exception {
        Path ca = dir.resolve("ca");
        ok(CliProcess.CA_MAIN, "init", "--data-dir", ca.toString(), "--key-type", "ec", "--seed", TestCa.SEED,
                "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing", "--pkcs11-pin-file", dir.resolve("ca.pin").toString());
        int port = TestCa.freePortBlock();
        Process server = CliProcess.startCa(env, dir.resolve("ca.log"), Duration.ofSeconds(90), "start", "--data-dir",
                ca.toString(), "--port", Integer.toString(port), "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing",
                "--pkcs11-pin-file", dir.resolve("ca.pin").toString());
        started.add(server);
        try (ZmqCaClient client = new ZmqCaClient("tcp://127.0.0.1:" + port, t -> Duration.ofSeconds(20), 0, new WireCodec())) {
            JsonNode first = client.call(CaTask.GENERATE, CaClient.params().put("cn", "before.example.internal").put("profile", "admin"));
            // The token disappears under the running CA (as an HSM unplugged or its store wiped).
            hsm.deleteToken("upki-ca");
            long t0 = System.nanoTime();
            CaClientException refused = null;
            try {
                client.call(CaTask.GENERATE, CaClient.params().put("cn", "during.example.internal").put("profile", "admin"));
            } catch (CaClientException e) {
                refused = e;
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
            assertThat(refused).as("a sign with the token gone must fail").isNotNull();
            assertThat(refused.getMessage()).startsWith("[600]");
            // Nothing acknowledged is lost: the first certificate is still known, and the CA still answers.
            JsonNode view = client.call(CaTask.VIEW, CaClient.params().put("serial", first.get("serial").asText()));
            assertThat(view.toString()).contains("before.example.internal");
        }
    }

    private void assertRefused(String reason, String... args) throws IOException, InterruptedException {
        CliProcess.Result r = CliProcess.run(env, CliProcess.CA_MAIN, args);
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.lastLine()).as(r.output()).startsWith("ca-server: ").contains(reason);
        assertThat(r.output().strip().split("\n")).as("one line, no stack trace: " + r.output())
                .noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in thread"));
    }

    private void ok(String main, String... args) throws Exception {
        CliProcess.ok(env, main, args);
    }

}
