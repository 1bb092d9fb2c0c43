package io.upki.testkit.softhsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A SoftHSM2 token store of a test's own ({@code SOFTHSM2_CONF} pointing into a temporary folder), with
 * tokens made and deleted through the real {@code softhsm2-util}. Where SoftHSM2 is not installed the test
 * is skipped, saying so ({@code .ci/run} installs it).
 */
public final class SoftHsm {
    /** Debian's SoftHSM2 PKCS#11 library. */
    public static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
    /** The security officer PIN of every token made here (only token initialisation uses it). */
    private static final String SO_PIN = "87654321";

    private final Path conf;

    private SoftHsm(Path conf) {
        this.conf = conf;
    }

    /** A token store under {@code dir}, or the calling test skipped when SoftHSM2 is missing. */
    public static SoftHsm in(Path dir) throws IOException {
        Assumptions.assumeTrue(onPath("softhsm2-util"),
                "softhsm2-util is not installed (apt softhsm2): no PKCS#11 token to test with");
        Assumptions.assumeTrue(Files.isReadable(Path.of(MODULE)), MODULE + " is missing (apt softhsm2)");
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Path conf = dir.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        return new SoftHsm(conf);
    }

    /** What a process needs in its environment to see these tokens. */
    public Map<String, String> env() {
        return Map.of("SOFTHSM2_CONF", conf.toString());
    }

    /** Makes a token labelled {@code label} with user PIN {@code pin}. */
    public void initToken(String label, String pin) throws IOException, InterruptedException {
        util("--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", pin);
    }

    /** Deletes the token labelled {@code label} (a token unplugged under a running process). */
    public void deleteToken(String label) throws IOException, InterruptedException {
        util("--delete-token", "--token", label);
    }

    private void util(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("softhsm2-util"));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().putAll(env());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("softhsm2-util " + String.join(" ", args) + " failed: " + out.strip());
        }
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }
}
