package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.CaFixture;
import io.upki.ca.testing.TestCa;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user guide's first command, verbatim, against a real CA: in-process with a working directory, and
 * refusal to overwrite, {@code --force} and the file modes that make the result safe to keep.
 */
class CliGuideTest {
    /** The guide's command, word for word; the CA's port comes from UPKI_CA_PORT as the guide's CA runs on 5000. */
    static final String[] GUIDE = {"generate", "--host", "127.0.0.1", "--cn", "admin.example.internal", "--profile", "admin"};

    @TempDir
    static Path dir;
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().onPortBlock();
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        int port = ca.port();
        env = Map.of("UPKI_CA_PORT", Integer.toString(port));
    }

    @Test
    void theGuidesCommandWritesAKeyMadeLocallyACertificateAndTheCaCertificate() throws Exception {
        Path work = Files.createDirectories(dir.resolve("guide"));
        CliRun.Result r = CliRun.run(work, env, GUIDE);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();

        Path key = work.resolve("admin.key");
        Path crt = work.resolve("admin.crt");
        Path caCrt = work.resolve("ca.crt");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        X509Certificate cert = Pem.parseCertificate(Files.readString(crt));
        PrivateKey privateKey = Pem.parsePrivateKey(Files.readString(key), null);
        // Key type and size come from the admin profile (RSA-4096), and the key is the certified one.
        assertThat(cert.getPublicKey()).isInstanceOf(RSAPublicKey.class);
        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(4096);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(privateKey);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertThat(s.verify(sig)).isTrue();
        // The subject the CA's own generate would give, with clientAuth as the guide says.
        assertThat(DistinguishedNames.toSlash(CertificateFacts.subject(cert)))
                .isEqualTo("/C=FR/O=Company/OU=Admins/CN=admin.example.internal");
        assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        assertThat(Pem.parseCertificate(Files.readString(caCrt))).isEqualTo(Pem.parseCertificate(ca.client().getCaPem()));
        cert.verify(Pem.parseCertificate(Files.readString(caCrt)).getPublicKey());
        // The CA never saw the key: it kept none for this serial (generate would have).
        assertThat(ca.dir().resolve("private/" + cert.getSerialNumber().toString(16) + ".key")).doesNotExist();
        assertThat(r.out()).contains("admin.key").contains("0x" + cert.getSerialNumber().toString(16));
        assertThat(work.toFile().list()).containsExactlyInAnyOrder("admin.key", "admin.crt", "ca.crt");
    }

    @Test
    void anExistingKeyIsNeverOverwrittenWithoutForce() throws Exception {
        Path work = Files.createDirectories(dir.resolve("again"));
        assertThat(CliRun.run(work, env, GUIDE).code()).isZero();
        byte[] key = Files.readAllBytes(work.resolve("admin.key"));
        byte[] crt = Files.readAllBytes(work.resolve("admin.crt"));
        int before = ca.client().call(io.upki.pki.wire.CaTask.LIST_NODES, io.upki.pki.caclient.CaClient.params()).size();

        CliRun.Result again = CliRun.run(work, env, GUIDE);
        assertThat(again.code()).as(again.toString()).isEqualTo(4);
        assertThat(again.err().strip()).doesNotContain("\n").contains("admin.key already exists").contains("--force");
        assertThat(Files.readAllBytes(work.resolve("admin.key"))).isEqualTo(key);
        assertThat(Files.readAllBytes(work.resolve("admin.crt"))).isEqualTo(crt);
        // Refused before anything was issued, and no temporary file left behind.
        assertThat(ca.client().call(io.upki.pki.wire.CaTask.LIST_NODES, io.upki.pki.caclient.CaClient.params()).size())
                .isEqualTo(before);
        assertThat(work.toFile().list()).containsExactlyInAnyOrder("admin.key", "admin.crt", "ca.crt");

        String[] forced = java.util.Arrays.copyOf(GUIDE, GUIDE.length + 1);
        forced[GUIDE.length] = "--force";
        CliRun.Result force = CliRun.run(work, env, forced);
        assertThat(force.code()).as(force.toString()).isZero();
        assertThat(Files.readAllBytes(work.resolve("admin.key"))).isNotEqualTo(key);
        assertThat(Files.getPosixFilePermissions(work.resolve("admin.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        X509Certificate cert = Pem.parseCertificate(Files.readString(work.resolve("admin.crt")));
        assertThat(cert.getPublicKey().getEncoded()).isNotEqualTo(
                Pem.parseCertificate(new String(crt, java.nio.charset.StandardCharsets.US_ASCII)).getPublicKey().getEncoded());
    }

    @Test
    void aCaCertificateOfAnotherCaIsNotReplacedSilently() throws Exception {
        Path work = Files.createDirectories(dir.resolve("other-anchor"));
        TestCa.initialize(dir.resolve("other-ca"), "ec");
        Files.copy(dir.resolve("other-ca/ca.crt"), work.resolve("ca.crt"));
        CliRun.Result r = CliRun.run(work, env, GUIDE);
        assertThat(r.code()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("ca.crt holds another CA certificate");
        assertThat(work.resolve("admin.key")).doesNotExist();
    }

    @Test
    void outAndNameChooseWhereTheFilesGo() throws Exception {
        Path work = Files.createDirectories(dir.resolve("named"));
        CliRun.Result r = CliRun.run(work, env, "generate", "--cn", "ops.example.internal", "--profile", "admin",
                "--out", "identities/ops", "--name", "ops", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        Path out = work.resolve("identities/ops");
        assertThat(out.resolve("ops.key")).exists();
        assertThat(out.resolve("ops.crt")).exists();
        assertThat(out.resolve("ca.crt")).exists();
        assertThat(r.json().path("dn").asText()).isEqualTo("/C=FR/O=Company/OU=Admins/CN=ops.example.internal");
        assertThat(r.json().path("key").asText()).isEqualTo(out.resolve("ops.key").toString());
    }
}
