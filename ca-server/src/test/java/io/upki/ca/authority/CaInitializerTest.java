package io.upki.ca.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.pki.x509.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code init} and loading: key protection, passphrases, never overwriting a CA, the seed hash. */
class CaInitializerTest {
    @TempDir
    Path dir;

    private CaInitializer.Result init(String keyType, String seed, char[] passphrase) throws Exception {
        return new CaInitializer(Clock.systemUTC(), new SecureRandom())
                .initialize(new CaFiles(dir), keyType, seed, passphrase, null, "7", null);
    }

    @Test
    void ecCaFromTheCaProfileWithPrivateFiles() throws Exception {
        CaInitializer.Result result = init("ec", null, null);
        assertThat(result.seedGenerated()).isTrue();
        assertThat(result.seed()).hasSizeGreaterThanOrEqualTo(40);
        X509Certificate cert = Pem.parseCertificate(Files.readString(dir.resolve("ca.crt")));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=uPKI Root CA,OU=CA,O=uPKI,C=FR");
        assertThat(cert.getBasicConstraints()).isEqualTo(0);
        assertThat(cert.getKeyUsage()[5]).isTrue(); // keyCertSign
        assertThat(cert.getKeyUsage()[6]).isTrue(); // cRLSign
        assertThat(cert.getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        long days = (cert.getNotAfter().getTime() - cert.getNotBefore().getTime()) / 86_400_000L;
        assertThat(days).isEqualTo(3650);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("seed.hash")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        // The seed itself is never written down.
        assertThat(Files.readString(dir.resolve("seed.hash"))).doesNotContain(result.seed());
        assertThat(RegistrationSeed.load(dir.resolve("seed.hash")).matches(result.seed())).isTrue();
        assertThat(RegistrationSeed.load(dir.resolve("seed.hash")).matches(result.seed() + "x")).isFalse();
        assertThat(CaLoader.load(new CaFiles(dir), null).subject().toString()).contains("uPKI Root CA");
    }

    @Test
    void rsaIsTheDefaultAndIs4096Bits() throws Exception {
        init("rsa", "given-seed", null);
        X509Certificate cert = Pem.parseCertificate(Files.readString(dir.resolve("ca.crt")));
        assertThat(((java.security.interfaces.RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(4096);
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
    }

    @Test
    void refusesToOverwriteAnExistingCa() throws Exception {
        init("ec", "s", null);
        byte[] before = Files.readAllBytes(dir.resolve("ca.key"));
        assertThatThrownBy(() -> init("ec", "s", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to overwrite");
        assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isEqualTo(before);
    }

    @Test
    void encryptedKeyNeedsItsPassphrase() throws Exception {
        init("ec", "s", "correct horse".toCharArray());
        assertThat(Files.readString(dir.resolve("ca.key"))).contains("ENCRYPTED PRIVATE KEY");
        assertThatThrownBy(() -> CaLoader.load(new CaFiles(dir), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no passphrase was given");
        assertThatThrownBy(() -> CaLoader.load(new CaFiles(dir), "wrong".toCharArray()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wrong passphrase");
        assertThat(CaLoader.load(new CaFiles(dir), "correct horse".toCharArray()).certificate()).isNotNull();
    }

    @Test
    void loadRefusesAWorldReadableKeyAndAMismatchedPair() throws Exception {
        init("ec", "s", null);
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> CaLoader.load(new CaFiles(dir), null)).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-------"));

        Path other = dir.resolve("other");
        new CaInitializer(Clock.systemUTC(), new SecureRandom()).initialize(new CaFiles(other), "ec", "s", null, null, "7", null);
        Files.copy(other.resolve("ca.crt"), dir.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> CaLoader.load(new CaFiles(dir), null)).hasMessageContaining("does not belong");
    }

    @Test
    void missingCaSaysHowToCreateOne() {
        assertThatThrownBy(() -> CaLoader.load(new CaFiles(dir.resolve("none")), null))
                .hasMessageContaining("upki ca-server init");
    }
}
