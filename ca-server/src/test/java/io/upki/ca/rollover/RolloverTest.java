package io.upki.ca.rollover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.ca.testing.CliProcess;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.Pem;
import io.upki.testkit.TempFolder;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rollover of a two-tier CA through the real commands and a real {@code ca-server start} process:
 * the running CA takes the new generation over without a restart, both generations' certificates verify
 * up to the one root (also with OpenSSL), each revocation lands in its own generation's CRL, a restart
 * keeps both generations; and every refusal of {@code rollover}, each writing nothing.
 */
class RolloverTest {
    private static final Map<String, String> ENV = Map.of();

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        CliProcess.stopAll(started);
    }

    @Test
    void runningCaRollsOverAndKeepsSigningTheEarlierGenerationsCrl() throws Exception {
        Path root = dir.resolve("root");
        Path ca = dir.resolve("ca");
        twoTier(root, ca);
        X509Certificate g1 = Pem.parseCertificate(Files.readString(ca.resolve("ca.crt")));
        // A second data directory as a standby would have it, never told of the rollover.
        Path stale = dir.resolve("stale");
        TempFolder.copy(ca, stale);
        X509Certificate rootCert = Pem.parseCertificate(Files.readString(root.resolve("root.crt")));
        int port = TestCa.freePortBlock();
        Process server = startCa(ca, port, "ca-1.log");
        try (ZmqCaClient client = client(port)) {
            X509Certificate before = issue(client, "before.example.internal");
            BigInteger crlBefore = crl(client, null).getExtensionValue(Extension.cRLNumber.getId()) == null ? null
                    : crlNumber(crl(client, null));

            // The next key and its request, made beside the running CA.
            CliProcess.Result prepare = prepare(ca);
            assertThat(prepare.exit()).as(prepare.output()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve("next/ca.key"))))
                    .isEqualTo("rw-------");
            assertThat(Pem.parseCsr(Files.readString(ca.resolve("next/ca.csr"))).getSubject().toString())
                    .endsWith("CN=uPKI Issuing CA G2");
            CliProcess.Result sign = signNext(root, ca, dir.resolve("next.crt"));
            assertThat(sign.exit()).as(sign.output()).isZero();
            X509Certificate g2 = Pem.parseCertificate(Files.readString(dir.resolve("next.crt")));
            CliProcess.Result install = install(ca, dir.resolve("next.crt"));
            assertThat(install.exit()).as(install.output()).isZero();
            assertThat(ca.resolve("generations/1/ca.crt")).exists();
            assertThat(ca.resolve("next")).doesNotExist();

            // Taken over without a restart: get_ca answers the new generation within a few seconds.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Pem.parseCertificate(client.call(CaTask.GET_CA, CaClient.params()).asText()).equals(g2)) {
                assertThat(System.nanoTime()).as("the running CA took the new generation over").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(server.isAlive()).isTrue();
            X509Certificate after = issue(client, "after.example.internal");
            assertThat(after.getIssuerX500Principal()).isEqualTo(g2.getSubjectX500Principal());
            assertThat(before.getIssuerX500Principal()).isEqualTo(g1.getSubjectX500Principal());
            assertThat(g2.getSubjectX500Principal()).isNotEqualTo(g1.getSubjectX500Principal());
            List<X509Certificate> chain = Pem.parseCertificates(client.call(CaTask.GET_CA_CHAIN, CaClient.params()).asText());
            assertThat(chain).containsExactly(g2, g1, rootCert);

            // OpenSSL: both leaves verify up to the one root, the bundle of get_ca_chain as untrusted helpers.
            Path bundle = write("bundle.pem", client.call(CaTask.GET_CA_CHAIN, CaClient.params()).asText());
            Path beforeFile = write("before.crt", Pem.encode(before));
            Path afterFile = write("after.crt", Pem.encode(after));
            assertThat(openssl("verify", "-CAfile", root.resolve("root.crt").toString(), "-untrusted", bundle.toString(),
                    beforeFile.toString(), afterFile.toString())).contains("before.crt: OK").contains("after.crt: OK");

            // Each generation signs its own CRL; a revocation goes to the CRL of the certificate's issuer.
            revoke(client, before);
            revoke(client, after);
            client.call(CaTask.GENERATE_CRL, CaClient.params());
            X509CRL crl1 = crl(client, 1);
            X509CRL crl2 = crl(client, null);
            crl1.verify(g1.getPublicKey());
            crl2.verify(g2.getPublicKey());
            assertThat(crl1.getIssuerX500Principal()).isEqualTo(g1.getSubjectX500Principal());
            assertThat(crl2.getIssuerX500Principal()).isEqualTo(g2.getSubjectX500Principal());
            assertThat(crl1.getRevokedCertificate(before.getSerialNumber())).isNotNull();
            assertThat(crl1.getRevokedCertificate(after.getSerialNumber())).isNull();
            assertThat(crl2.getRevokedCertificate(after.getSerialNumber())).isNotNull();
            assertThat(crl2.getRevokedCertificate(before.getSerialNumber())).isNull();
            if (crlBefore != null) {
                assertThat(crlNumber(crl1)).isGreaterThan(crlBefore);
            }
            assertThat(crlNumber(crl1)).isNotEqualTo(crlNumber(crl2));
            // OpenSSL with both CRLs picks each leaf's own issuer's CRL: both revoked.
            Path crlFile1 = write("g1.crl", pem(crl1));
            Path crlFile2 = write("g2.crl", pem(crl2));
            for (Path leaf : List.of(beforeFile, afterFile)) {
                String out = opensslFails("verify", "-crl_check", "-CAfile", root.resolve("root.crt").toString(),
                        "-untrusted", bundle.toString(), "-CRLfile", crlFile1.toString(), "-CRLfile", crlFile2.toString(),
                        leaf.toString());
                assertThat(out).contains("certificate revoked");
            }
            // An unknown generation is a validation error, not another CRL.
            assertThat(callError(client, CaClient.params().put("generation", 7))).contains("not a live generation");
            BigInteger lastG1 = crlNumber(crl1);

            // A restart keeps both generations.
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            startCa(ca, port, "ca-2.log");
            assertThat(Pem.parseCertificate(client.call(CaTask.GET_CA, CaClient.params()).asText())).isEqualTo(g2);
            assertThat(Pem.parseCertificates(client.call(CaTask.GET_CA_CHAIN, CaClient.params()).asText()))
                    .containsExactly(g2, g1, rootCert);
            client.call(CaTask.GENERATE_CRL, CaClient.params());
            X509CRL again = crl(client, 1);
            again.verify(g1.getPublicKey());
            assertThat(again.getRevokedCertificate(before.getSerialNumber())).isNotNull();
            assertThat(crlNumber(again)).isGreaterThan(lastG1);
            assertThat(issue(client, "later.example.internal").getIssuerX500Principal()).isEqualTo(g2.getSubjectX500Principal());
        }
        // The store now holds generation 2's certificates: a data directory without generation 2 refuses to serve it.
        for (Process p : started) {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (var dbFiles = Files.list(ca)) {
            for (Path f : dbFiles.filter(f -> f.getFileName().toString().startsWith("upki.db")).toList()) {
                Files.copy(f, stale.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        CliProcess.Result behind = CliProcess.run(ENV, CliProcess.CA_MAIN, "start", "--data-dir", stale.toString(), "--port",
                Integer.toString(TestCa.freePortBlock()), "--seed", TestCa.SEED);
        assertThat(behind.exit()).isNotZero();
        assertThat(behind.lastLine()).startsWith("ca-server: ").contains("certificates of CA generation 2");
    }

    @Test
    void refusesASelfSignedCa() throws Exception {
        Path ca = dir.resolve("ca");
        CliProcess.Result init = CliProcess.run(ENV, CliProcess.CA_MAIN, "init", "--data-dir", ca.toString(), "--key-type", "ec",
                "--seed", TestCa.SEED);
        assertThat(init.exit()).as(init.output()).isZero();
        CliProcess.Result r = prepare(ca);
        assertThat(r.exit()).isNotZero();
        assertThat(r.lastLine()).startsWith("ca-server: ").contains("needs a two-tier CA").contains("docs/KEYS.md");
        assertThat(ca.resolve("next")).doesNotExist();
    }

    @Test
    void refusesAnInstallWithoutAPendingRollover() throws Exception {
        Path root = dir.resolve("root");
        Path ca = dir.resolve("ca");
        twoTier(root, ca);
        String before = Files.readString(ca.resolve("ca.crt"));
        // Some other intermediate of the same root: there is nothing it could be the next key of.
        Path other = dir.resolve("other");
        twoTierUnder(root, other);
        CliProcess.Result r = install(ca, other.resolve("ca.crt"));
        assertThat(r.exit()).isNotZero();
        assertThat(r.lastLine()).contains("no rollover pending");
        assertUnchanged(ca, before);
    }

    @Test
    void refusesACertificateForAnotherKey() throws Exception {
        Path root = dir.resolve("root");
        Path ca = dir.resolve("ca");
        twoTier(root, ca);
        String before = Files.readString(ca.resolve("ca.crt"));
        assertThat(prepare(ca).exit()).isZero();
        Path other = dir.resolve("other");
        twoTierUnder(root, other);
        CliProcess.Result r = install(ca, other.resolve("ca.crt"));
        assertThat(r.exit()).isNotZero();
        assertThat(r.lastLine()).contains("does not match the next key");
        assertUnchanged(ca, before);
        assertThat(ca.resolve("next/ca.crt")).doesNotExist();
    }

    @Test
    void refusesAChainToAnotherRoot() throws Exception {
        Path root = dir.resolve("root");
        Path ca = dir.resolve("ca");
        twoTier(root, ca);
        String before = Files.readString(ca.resolve("ca.crt"));
        assertThat(prepare(ca).exit()).isZero();
        // Another root, with the very same name, signs the next key's request.
        Path otherRoot = dir.resolve("other-root");
        assertThat(CliProcess.run(ENV, CliProcess.ROOT_MAIN, "init", "--dir", otherRoot.toString(), "--key-type", "ec").exit()).isZero();
        assertThat(signNext(otherRoot, ca, dir.resolve("foreign.crt")).exit()).isZero();
        CliProcess.Result r = install(ca, dir.resolve("foreign.crt"));
        assertThat(r.exit()).isNotZero();
        assertThat(r.lastLine()).contains("does not chain to the root");
        assertUnchanged(ca, before);
    }

    @Test
    void refusesToInstallTwiceAndToPrepareTwice() throws Exception {
        Path root = dir.resolve("root");
        Path ca = dir.resolve("ca");
        twoTier(root, ca);
        assertThat(prepare(ca).exit()).isZero();
        String csr = Files.readString(ca.resolve("next/ca.csr"));
        CliProcess.Result twice = prepare(ca);
        assertThat(twice.exit()).isNotZero();
        assertThat(twice.lastLine()).contains("already pending");
        assertThat(Files.readString(ca.resolve("next/ca.csr"))).isEqualTo(csr);
        assertThat(signNext(root, ca, dir.resolve("next.crt")).exit()).isZero();
        assertThat(install(ca, dir.resolve("next.crt")).exit()).isZero();
        String installed = Files.readString(ca.resolve("ca.crt"));
        CliProcess.Result again = install(ca, dir.resolve("next.crt"));
        assertThat(again.exit()).isNotZero();
        assertThat(again.lastLine()).contains("already installed");
        assertUnchanged(ca, installed);
        assertThat(ca.resolve("generations/2")).doesNotExist();
    }

    /** {@code ca-server rollover}: the next key and its request, next/ca.csr. */
    private static CliProcess.Result prepare(Path ca) throws Exception {
        return CliProcess.run(ENV, CliProcess.CA_MAIN, "rollover", "--data-dir", ca.toString());
    }

    /** {@code root sign} of {@code ca}'s next/ca.csr into {@code out}. */
    private static CliProcess.Result signNext(Path root, Path ca, Path out) throws Exception {
        return CliProcess.run(ENV, CliProcess.ROOT_MAIN, "sign", "--dir", root.toString(), "--csr",
                ca.resolve("next/ca.csr").toString(), "--out", out.toString());
    }

    /** {@code ca-server rollover --install --cert cert}. */
    private static CliProcess.Result install(Path ca, Path cert) throws Exception {
        return CliProcess.run(ENV, CliProcess.CA_MAIN, "rollover", "--data-dir", ca.toString(), "--install", "--cert",
                cert.toString());
    }

    private static void assertUnchanged(Path ca, String caCrt) throws Exception {
        assertThat(Files.readString(ca.resolve("ca.crt"))).isEqualTo(caCrt);
        if (Files.exists(ca.resolve("generations"))) {
            try (var s = Files.list(ca.resolve("generations"))) {
                assertThat(s.count()).as("generations kept").isLessThanOrEqualTo(1);
            }
        }
    }

    /** Offline root and an installed intermediate, through the commands of docs/KEYS.md. */
    private void twoTier(Path root, Path ca) throws Exception {
        CliProcess.Result r = CliProcess.run(ENV, CliProcess.ROOT_MAIN, "init", "--dir", root.toString(), "--key-type", "ec");
        assertThat(r.exit()).as(r.output()).isZero();
        twoTierUnder(root, ca);
    }

    private void twoTierUnder(Path root, Path ca) throws Exception {
        CliProcess.Result init = CliProcess.run(ENV, CliProcess.CA_MAIN, "init", "--intermediate", "--data-dir", ca.toString(),
                "--key-type", "ec", "--seed", TestCa.SEED);
        assertThat(init.exit()).as(init.output()).isZero();
        Path cert = ca.resolveSibling(ca.getFileName() + "-signed.crt");
        CliProcess.Result sign = CliProcess.run(ENV, CliProcess.ROOT_MAIN, "sign", "--dir", root.toString(), "--csr",
                ca.resolve("ca.csr").toString(), "--out", cert.toString());
        assertThat(sign.exit()).as(sign.output()).isZero();
        CliProcess.Result install = CliProcess.run(ENV, CliProcess.CA_MAIN, "install", "--data-dir", ca.toString(), "--cert",
                cert.toString(), "--chain", root.resolve("root.crt").toString());
        assertThat(install.exit()).as(install.output()).isZero();
    }

    private Process startCa(Path ca, int port, String log) throws Exception {
        Process p = CliProcess.startCa(ENV, dir.resolve(log), Duration.ofSeconds(90), "start", "--data-dir", ca.toString(),
                "--port", Integer.toString(port), "--seed", TestCa.SEED);
        started.add(p);
        return p;
    }

    private static ZmqCaClient client(int port) {
        return new ZmqCaClient("tcp://127.0.0.1:" + port, t -> Duration.ofSeconds(30), 0, new WireCodec());
    }

    private static X509Certificate issue(ZmqCaClient client, String cn) {
        JsonNode issued = client.call(CaTask.GENERATE, CaClient.params().put("cn", cn).put("profile", "admin"));
        return Pem.parseCertificate(issued.get("certificate").asText());
    }

    private static void revoke(ZmqCaClient client, X509Certificate cert) {
        client.call(CaTask.REVOKE, CaClient.params().put("serial", cert.getSerialNumber().toString())
                .put("reason", "keyCompromise"));
    }

    private static X509CRL crl(ZmqCaClient client, Integer generation) throws Exception {
        var params = CaClient.params();
        if (generation != null) {
            params.put("generation", generation);
        }
        byte[] der = Base64.getDecoder().decode(client.call(CaTask.GET_CRL, params).asText());
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    private static String callError(ZmqCaClient client, com.fasterxml.jackson.databind.node.ObjectNode params) {
        try {
            client.call(CaTask.GET_CRL, params);
            return "answered";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static BigInteger crlNumber(X509CRL crl) {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getValue();
    }

    private static String pem(X509CRL crl) throws Exception {
        return "-----BEGIN X509 CRL-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(crl.getEncoded()) + "\n-----END X509 CRL-----\n";
    }

    private Path write(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static String openssl(String... args) throws Exception {
        Process p = run(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private static String opensslFails(String... args) throws Exception {
        Process p = run(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isNotZero();
        return out;
    }

    private static Process run(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
