package io.upki.ca.rollover;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.keys.Pkcs11Settings;
import io.upki.ca.testing.CliProcess;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.Pem;
import io.upki.testkit.softhsm.SoftHsm;
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
 * Rollover of an intermediate whose keys live in a real SoftHSM2 token: the next key is generated in the
 * token under a new label (no key file anywhere), the running CA takes it over, the earlier token key
 * keeps signing generation 1's CRL, and a restart finds both keys by the labels the data directory records.
 */
class Pkcs11RolloverTest {
    private static final String MODULE = Pkcs11Settings.DEFAULT_MODULE;

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void token() throws Exception {
        SoftHsm hsm = SoftHsm.in(dir);
        env.putAll(hsm.env());
        hsm.initToken("upki-ca", "5678");
        Files.writeString(dir.resolve("ca.pin"), "5678\n");
    }

    @AfterEach
    void stop() throws InterruptedException {
        CliProcess.stopAll(started);
    }

    @Test
    void theNextKeyIsMadeInTheTokenAndBothTokenKeysKeepSigning() throws Exception {
        Path root = dir.resolve("root");
        Path ca = dir.resolve("ca");
        String pin = dir.resolve("ca.pin").toString();
        ok(CliProcess.ROOT_MAIN, "init", "--dir", root.toString(), "--key-type", "ec");
        ok(CliProcess.CA_MAIN, "init", "--intermediate", "--data-dir", ca.toString(), "--key-type", "ec", "--seed", TestCa.SEED,
                "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing", "--pkcs11-pin-file", pin);
        ok(CliProcess.ROOT_MAIN, "sign", "--dir", root.toString(), "--csr", ca.resolve("ca.csr").toString(), "--out",
                dir.resolve("g1.crt").toString());
        ok(CliProcess.CA_MAIN, "install", "--data-dir", ca.toString(), "--cert", dir.resolve("g1.crt").toString(), "--chain",
                root.resolve("root.crt").toString());
        X509Certificate g1 = Pem.parseCertificate(Files.readString(ca.resolve("ca.crt")));
        int port = TestCa.freePortBlock();
        String[] start = {"start", "--data-dir", ca.toString(), "--port", Integer.toString(port), "--seed", TestCa.SEED,
            "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing", "--pkcs11-pin-file", pin};
        Process server = startCa("ca-1.log", start);
        try (ZmqCaClient client = new ZmqCaClient("tcp://127.0.0.1:" + port, t -> Duration.ofSeconds(30), 0, new WireCodec())) {
            X509Certificate before = issue(client, "before.example.internal");

            // Without the present key's label the rollover cannot keep it: refused, nothing made.
            CliProcess.Result unnamed = CliProcess.run(env, CliProcess.CA_MAIN, "rollover", "--data-dir", ca.toString(),
                    "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing-g2", "--pkcs11-pin-file", pin);
            assertThat(unnamed.exit()).isNotZero();
            assertThat(unnamed.lastLine()).contains("--pkcs11-previous-key");
            assertThat(ca.resolve("next")).doesNotExist();

            ok(CliProcess.CA_MAIN, "rollover", "--data-dir", ca.toString(), "--pkcs11-token", "upki-ca", "--pkcs11-key", "issuing-g2",
                    "--pkcs11-pin-file", pin, "--pkcs11-previous-key", "issuing");
            assertThat(ca.resolve("next/ca.key")).doesNotExist();
            assertThat(Files.readString(ca.resolve("next/pkcs11-key")).strip()).isEqualTo("issuing-g2");
            ok(CliProcess.ROOT_MAIN, "sign", "--dir", root.toString(), "--csr", ca.resolve("next/ca.csr").toString(), "--out",
                    dir.resolve("g2.crt").toString());
            ok(CliProcess.CA_MAIN, "rollover", "--data-dir", ca.toString(), "--install", "--cert", dir.resolve("g2.crt").toString());
            X509Certificate g2 = Pem.parseCertificate(Files.readString(dir.resolve("g2.crt")));
            assertThat(Files.readString(ca.resolve("generations/1/pkcs11-key")).strip()).isEqualTo("issuing");

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Pem.parseCertificate(client.call(CaTask.GET_CA, CaClient.params()).asText()).equals(g2)) {
                assertThat(System.nanoTime()).as("the running CA took the token's new key over").isLessThan(deadline);
                Thread.sleep(100);
            }
            X509Certificate after = issue(client, "after.example.internal");
            after.verify(g2.getPublicKey());
            client.call(CaTask.REVOKE, CaClient.params().put("serial", before.getSerialNumber().toString()));
            X509CRL crl1 = crl(client, 1);
            crl1.verify(g1.getPublicKey());
            assertThat(crl1.getRevokedCertificate(before.getSerialNumber())).isNotNull();

            // A restart with the first label: the data directory names each generation's key.
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            startCa("ca-2.log", start);
            assertThat(Pem.parseCertificate(client.call(CaTask.GET_CA, CaClient.params()).asText())).isEqualTo(g2);
            issue(client, "later.example.internal").verify(g2.getPublicKey());
            client.call(CaTask.GENERATE_CRL, CaClient.params());
            X509CRL again = crl(client, 1);
            again.verify(g1.getPublicKey());
            assertThat(again.getRevokedCertificate(before.getSerialNumber())).isNotNull();
            crl(client, 2).verify(g2.getPublicKey());
        }
        // No file holds an issuing key: both are in the token.
        try (var files = Files.walk(ca)) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().equals("ca.key"))).isEmpty();
        }
    }

    private Process startCa(String log, String... args) throws Exception {
        Process p = CliProcess.startCa(env, dir.resolve(log), Duration.ofSeconds(90), args);
        started.add(p);
        return p;
    }

    private static X509Certificate issue(ZmqCaClient client, String cn) {
        return Pem.parseCertificate(client.call(CaTask.GENERATE, CaClient.params().put("cn", cn).put("profile", "admin"))
                .get("certificate").asText());
    }

    private static X509CRL crl(ZmqCaClient client, int generation) throws Exception {
        byte[] der = Base64.getDecoder().decode(client.call(CaTask.GET_CRL, CaClient.params().put("generation", generation)).asText());
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new java.io.ByteArrayInputStream(der));
    }

    private void ok(String main, String... args) throws Exception {
        CliProcess.ok(env, main, args);
    }

}
