package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration error of {@code upki-cli agent} (and {@code renew} of a pair, {@code list --expiring}) is
 * refused before anything runs: one line on stderr and exit 2 (usage) or 4 (local file). Nothing else ends
 * the agent, so these are the only non-zero exits it has.
 */
class AgentRefusalTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void pairs() throws Exception {
        selfSigned("a");
        selfSigned("b");
        Files.copy(dir.resolve("a.crt"), dir.resolve("ca.crt"));
    }

    static void selfSigned(String name) throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-subj", "/CN=" + name, "-days", "1", "-keyout", name + ".key", "-out", name + ".crt")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl made " + name).isTrue();
        Files.setPosixFilePermissions(dir.resolve(name + ".key"), PosixFilePermissions.fromString("rw-------"));
    }

    static void refused(int code, String reason, String... args) {
        CliRun.Result r = CliRun.run(dir, Map.of(), args);
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.err()).as(r.toString()).contains(reason);
        assertThat(r.err().strip().lines().count()).as("one line").isEqualTo(1);
        assertThat(dir.resolve("a.crt.next")).doesNotExist();
    }

    static final String RA = "https://127.0.0.1:1";

    @Test
    void nothingToWatch() {
        refused(2, "nothing to watch", "agent", "--ra", RA);
    }

    @Test
    void aCertificateWithoutItsKey() {
        refused(2, "--key", "agent", "--ra", RA, "--cert", "a.crt");
    }

    @Test
    void aMissingCertificateFile() {
        refused(4, "cannot read the pair", "agent", "--ra", RA, "--cert", "missing.crt", "--key", "a.key");
    }

    @Test
    void aKeyOfAnotherCertificate() {
        refused(4, "is not the key of", "agent", "--ra", RA, "--cert", "a.crt", "--key", "b.key");
    }

    @Test
    void aKeyReadableByOthers() throws Exception {
        Path key = Files.copy(dir.resolve("a.key"), dir.resolve("open.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        refused(4, "readable by others", "agent", "--ra", RA, "--cert", "a.crt", "--key", "open.key");
    }

    @Test
    void noRa() {
        refused(2, "the agent needs the RA", "agent", "--cert", "a.crt", "--key", "a.key");
    }

    @Test
    void aPlainHttpRa() {
        refused(2, "--ra must be an https:// URL", "agent", "--ra", "http://127.0.0.1:8000", "--cert", "a.crt", "--key", "a.key");
    }

    @Test
    void aMissingCaCertificate() {
        refused(4, "--cacert", "agent", "--ra", RA, "--cacert", "nope.crt", "--cert", "a.crt", "--key", "a.key");
    }

    @Test
    void anEmptyExec() {
        refused(2, "--exec needs a command", "agent", "--ra", RA, "--cert", "a.crt", "--key", "a.key", "--exec", " ");
    }

    @Test
    void forceWithoutOnce() {
        refused(2, "--force goes with --once", "agent", "--ra", RA, "--cert", "a.crt", "--key", "a.key", "--force");
    }

    @Test
    void thePairTwice() {
        refused(2, "watched twice", "agent", "--ra", RA, "--cert", "a.crt", "--key", "a.key", "--cert", "a.crt", "--key", "a.key");
    }

    @Test
    void aBadTimeout() {
        refused(2, "--timeout", "agent", "--ra", RA, "--cert", "a.crt", "--key", "a.key", "--timeout", "0");
    }

    @Test
    void aConfigFileWithAnUnknownKey() throws Exception {
        Files.writeString(dir.resolve("unknown.json"), "{\"ra\": \"" + RA + "\", \"pairz\": []}");
        refused(2, "not a valid agent configuration", "agent", "--config", "unknown.json");
    }

    @Test
    void aConfigFileThatIsNotJson() throws Exception {
        Files.writeString(dir.resolve("broken.json"), "ra = " + RA);
        refused(2, "not a valid agent configuration", "agent", "--config", "broken.json");
    }

    @Test
    void aConfigPairWithoutKey() throws Exception {
        Files.writeString(dir.resolve("nokey.json"), "{\"ra\": \"" + RA + "\", \"pairs\": [{\"cert\": \"a.crt\"}]}");
        refused(2, "every pair needs", "agent", "--config", "nokey.json");
    }

    @Test
    void aMissingConfigFile() {
        refused(4, "--config", "agent", "--config", "absent.json");
    }

    @Test
    void renewWithNeitherATargetNorAPair() {
        refused(2, "renew needs --dn, --cn or --serial", "renew");
    }

    @Test
    void renewDaemonOfACaTarget() {
        refused(2, "--daemon and --exec renew a pair", "renew", "--cn", "x", "--daemon");
    }

    @Test
    void renewOfAPairWithOut() {
        refused(2, "a pair is renewed in place", "renew", "--ra", RA, "--cert", "a.crt", "--key", "a.key", "--out", "x.crt");
    }

    @Test
    void listExpiringWithABadDuration() {
        refused(2, "--expiring must be a number and d, h or m", "list", "--expiring", "7 days");
    }

    @Test
    void listExpiringWithAnotherState() {
        refused(2, "cannot go with --state revoked", "list", "--expiring", "7d", "--state", "revoked");
    }
}
