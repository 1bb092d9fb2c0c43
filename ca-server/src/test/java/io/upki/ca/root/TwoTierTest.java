package io.upki.ca.root;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaInitializer;
import io.upki.ca.authority.CaLoader;
import io.upki.ca.keys.CaKey;
import io.upki.ca.testing.CliProcess;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.pki.x509.RevocationReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline root, online intermediate: the ceremony through the real commands, and every refusal. */
class TwoTierTest {

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    @Test
    void rootSignsAnIntermediateWhoseLeavesVerifyUpToTheRoot() throws Exception {
        Path root = dir.resolve("root");
        Path ca = dir.resolve("ca");
        Map<String, String> env = Map.of();
        assertThat(CliProcess.run(env, CliProcess.ROOT_MAIN, "init", "--dir", root.toString(), "--key-type", "ec").exit()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("root.key")))).isEqualTo("rw-------");
        CliProcess.Result init = CliProcess.run(env, CliProcess.CA_MAIN, "init", "--intermediate", "--data-dir", ca.toString(),
                "--key-type", "ec", "--seed", TestCa.SEED);
        assertThat(init.exit()).as(init.output()).isZero();
        assertThat(ca.resolve("ca.csr")).exists();
        assertThat(ca.resolve("ca.crt")).doesNotExist();

        // Not installed yet: start refuses with one line.
        CliProcess.Result early = CliProcess.run(env, CliProcess.CA_MAIN, "start", "--data-dir", ca.toString(), "--port",
                Integer.toString(TestCa.freePortBlock()));
        assertThat(early.exit()).isNotZero();
        assertThat(early.lastLine()).contains("not installed yet");

        // A path longer than the root allows is refused, nothing written.
        CliProcess.Result tooLong = CliProcess.run(env, CliProcess.ROOT_MAIN, "sign", "--dir", root.toString(), "--csr",
                ca.resolve("ca.csr").toString(), "--out", dir.resolve("x.crt").toString(), "--path-len", "1");
        assertThat(tooLong.exit()).isEqualTo(2);
        assertThat(tooLong.lastLine()).contains("path length of at most 0");
        assertThat(dir.resolve("x.crt")).doesNotExist();

        CliProcess.Result sign = CliProcess.run(env, CliProcess.ROOT_MAIN, "sign", "--dir", root.toString(), "--csr",
                ca.resolve("ca.csr").toString(), "--out", dir.resolve("ca.crt").toString(),
                "--crl-url", "http://pki.example/root.crl", "--ca-issuers-url", "http://pki.example/root.crt");
        assertThat(sign.exit()).as(sign.output()).isZero();
        X509Certificate intermediate = Pem.parseCertificate(Files.readString(dir.resolve("ca.crt")));
        assertThat(intermediate.getBasicConstraints()).isZero();
        assertThat(intermediate.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNotNull();
        assertThat(intermediate.getExtensionValue(Extension.authorityInfoAccess.getId())).isNotNull();

        CliProcess.Result install = CliProcess.run(env, CliProcess.CA_MAIN, "install", "--data-dir", ca.toString(), "--cert",
                dir.resolve("ca.crt").toString(), "--chain", root.resolve("root.crt").toString());
        assertThat(install.exit()).as(install.output()).isZero();

        X509Certificate rootCert = Pem.parseCertificate(Files.readString(root.resolve("root.crt")));
        try (TestCa server = TestCa.open(ca, Duration.ofDays(7), "http://pki.example/ca.crl", Clock.systemUTC())) {
            String caPem = server.call(CaTask.GET_CA, CaClient.params()).asText();
            assertThat(Pem.parseCertificate(caPem)).isEqualTo(intermediate);
            List<X509Certificate> chain = Pem.parseCertificates(server.call(CaTask.GET_CA_CHAIN, CaClient.params()).asText());
            assertThat(chain).containsExactly(intermediate, rootCert);
            JsonNode issued = server.call(CaTask.GENERATE, CaClient.params().put("cn", "admin.example.internal")
                    .put("profile", "admin"));
            X509Certificate leaf = Pem.parseCertificate(issued.get("certificate").asText());
            assertThat(leaf.getIssuerX500Principal()).isEqualTo(intermediate.getSubjectX500Principal());
            assertThat(leaf.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNotNull();
            Files.writeString(dir.resolve("admin.crt"), issued.get("certificate").asText());
            // OpenSSL builds the same path: root as the anchor, the intermediate as an untrusted helper.
            String out = CliProcess.opensslVerify(root.resolve("root.crt"), ca.resolve("ca.crt"), dir.resolve("admin.crt"));
            assertThat(out).contains(": OK");
            // The CA's own CRL is signed by the intermediate.
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new java.io.ByteArrayInputStream(
                    java.util.Base64.getDecoder().decode(server.call(CaTask.GET_CRL, CaClient.params()).asText())));
            crl.verify(intermediate.getPublicKey());
        }

        // The root revokes the intermediate: its next CRL lists it, signed by the root.
        assertThat(CliProcess.run(env, CliProcess.ROOT_MAIN, "revoke", "--dir", root.toString(), "--cert",
                dir.resolve("ca.crt").toString()).exit()).isZero();
        assertThat(CliProcess.run(env, CliProcess.ROOT_MAIN, "crl", "--dir", root.toString()).exit()).isZero();
        X509CRL rootCrl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(Files.newInputStream(root.resolve("root.crl")));
        rootCrl.verify(rootCert.getPublicKey());
        assertThat(rootCrl.getRevokedCertificate(intermediate.getSerialNumber())).isNotNull();
    }

    @Test
    void startRefusesAnIntermediateWhoseChainDoesNotReachItsRoot() throws Exception {
        Fixture f = twoTier();
        // chain.crt replaced by another root with the same name: the signature check fails.
        RootCa other = new RootCa(dir.resolve("other"), Clock.systemUTC(), random);
        other.init("ec", "uPKI Offline Root CA", 365, 1, null, null);
        Files.copy(other.certificate(), f.ca.chain(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> CaLoader.load(f.ca, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not chain to the root");
        CliProcess.Result start = CliProcess.run(Map.of(), CliProcess.CA_MAIN, "start", "--data-dir", f.ca.dataDir().toString(),
                "--port", Integer.toString(TestCa.freePortBlock()));
        assertThat(start.exit()).isNotZero();
        assertThat(start.lastLine()).startsWith("ca-server: ").contains("does not chain to the root");
        // The chain gone altogether: refused too, never served as if self-signed.
        Files.delete(f.ca.chain());
        assertThatThrownBy(() -> CaLoader.load(f.ca, null)).hasMessageContaining("chain.crt is missing");
    }

    @Test
    void installRefusesAnotherKeysCertificateAForeignChainAndAnExpiredRoot() throws Exception {
        RootCa root = new RootCa(dir.resolve("root"), Clock.systemUTC(), random);
        root.init("ec", "Root", 30, 1, null, null);
        CaKey rootKey = root.loadKey(null, null);
        CaFiles ca = new CaFiles(dir.resolve("ca"));
        new CaInitializer(Clock.systemUTC(), random).initializeIntermediate(ca, "ec", TestCa.SEED, null, null, null, "7", null);
        // A certificate for some other key.
        CaFiles stranger = new CaFiles(dir.resolve("stranger"));
        new CaInitializer(Clock.systemUTC(), random).initializeIntermediate(stranger, "ec", TestCa.SEED, null, null, null, "7", null);
        String strangerCert = Pem.encode(root.sign(csr(stranger), 10, 0, null, null, rootKey));
        assertThatThrownBy(() -> new CaInitializer(Clock.systemUTC(), random).install(ca, strangerCert,
                Files.readString(root.certificate()))).hasMessageContaining("does not match this CA's key");
        String good = Pem.encode(root.sign(csr(ca), 10, 0, null, null, rootKey));
        // A chain to another root.
        RootCa other = new RootCa(dir.resolve("other"), Clock.systemUTC(), random);
        other.init("ec", "Other", 30, 1, null, null);
        assertThatThrownBy(() -> new CaInitializer(Clock.systemUTC(), random).install(ca, good,
                Files.readString(other.certificate()))).hasMessageContaining("does not chain to the root");
        // The root has expired by the time of install.
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(40)), ZoneOffset.UTC);
        assertThatThrownBy(() -> new CaInitializer(later, random).install(ca, good, Files.readString(root.certificate())))
                .hasMessageContaining("root certificate").hasMessageContaining("not valid now");
        assertThat(ca.caCertificate()).doesNotExist();
        assertThat(ca.chain()).doesNotExist();
        new CaInitializer(Clock.systemUTC(), random).install(ca, good, Files.readString(root.certificate()));
        assertThat(CaLoader.load(ca, null).chain()).hasSize(1);
    }

    @Test
    void rootRefusesCsrsAskingForMoreThanAnIntermediateIsGiven() throws Exception {
        RootCa root = new RootCa(dir.resolve("root"), Clock.systemUTC(), random);
        root.init("ec", "Root", 30, 1, null, null);
        CaKey rootKey = root.loadKey(null, null);
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        java.security.KeyPair kp = g.generateKeyPair();
        ExtensionsGenerator longPath = new ExtensionsGenerator();
        longPath.addExtension(Extension.basicConstraints, true, new BasicConstraints(3));
        assertThatThrownBy(() -> root.sign(request(kp, longPath), 10, 0, null, null, rootKey))
                .hasMessageContaining("asks for path length 3");
        ExtensionsGenerator broad = new ExtensionsGenerator();
        broad.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.keyEncipherment));
        assertThatThrownBy(() -> root.sign(request(kp, broad), 10, 0, null, null, rootKey))
                .hasMessageContaining("key usages beyond");
        // A CSR whose signature is not its key's.
        java.security.KeyPair other = g.generateKeyPair();
        PKCS10CertificationRequest forged = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate()));
        assertThatThrownBy(() -> root.sign(forged, 10, 0, null, null, rootKey)).hasMessageContaining("does not verify");
        assertThat(Files.exists(dir.resolve("root").resolve("issued"))).isFalse();
        // An expired root signs nothing.
        RootCa expired = new RootCa(dir.resolve("root"), Clock.fixed(Instant.now().plus(Duration.ofDays(31)), ZoneOffset.UTC), random);
        assertThatThrownBy(() -> expired.sign(request(kp, new ExtensionsGenerator()), 10, 0, null, null, rootKey))
                .hasMessageContaining("not valid now");
        // Revoking a certificate another CA signed is refused.
        RootCa otherRoot = new RootCa(dir.resolve("other"), Clock.systemUTC(), random);
        otherRoot.init("ec", "Other", 30, 1, null, null);
        assertThatThrownBy(() -> root.revoke(Pem.parseCertificate(Files.readString(otherRoot.certificate())),
                RevocationReason.KEY_COMPROMISE)).hasMessageContaining("not signed by this root");
    }

    private static PKCS10CertificationRequest request(java.security.KeyPair kp, ExtensionsGenerator ext) throws Exception {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=sub"), kp.getPublic());
        if (!ext.isEmpty()) {
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
    }

    private static PKCS10CertificationRequest csr(CaFiles files) throws Exception {
        return Pem.parseCsr(Files.readString(files.caCsr()));
    }

    private record Fixture(RootCa root, CaFiles ca) {
    }

    private Fixture twoTier() throws Exception {
        RootCa root = new RootCa(dir.resolve("root"), Clock.systemUTC(), random);
        root.init("ec", "uPKI Offline Root CA", 365, 1, null, null);
        CaFiles ca = new CaFiles(dir.resolve("ca"));
        new CaInitializer(Clock.systemUTC(), random).initializeIntermediate(ca, "ec", TestCa.SEED, null, null, null, "7", null);
        String cert = Pem.encode(root.sign(csr(ca), 30, 0, null, null, root.loadKey(null, null)));
        new CaInitializer(Clock.systemUTC(), random).install(ca, cert, Files.readString(root.certificate()));
        CaLoader.load(ca, null);
        return new Fixture(root, ca);
    }
}
