package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.testkit.TempFolder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole stack as an operator runs it: {@code bin/upki up} in a fresh home, on free loopback ports
 * (so it never collides with a developer's own {@code bin/upki up}), from the jars this build made.
 */
final class LocalStack implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    final Path root;
    Path home;
    int caPort;
    int raPort;
    int raEdgePort;
    int sidecarPort;
    int publisherPort;
    int caOpsPort;
    Command up;
    /** Extra environment of {@code up} and every later command, e.g. UPKI_CA_CLIENT_AUTH=curve. */
    final Map<String, String> extraEnv;
    private final String[] upOptions;
    private Callable<Map<String, String>> prepare = Map::of;
    private Path tempHome;

    private LocalStack(Path home, Map<String, String> extraEnv, String... upOptions) {
        this.root = repositoryRoot();
        this.home = home;
        this.extraEnv = new HashMap<>(extraEnv);
        this.upOptions = upOptions.clone();
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("bin/upki"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("bin/upki not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /**
     * The stack of a whole test class, as a JUnit 5 extension ({@code @RegisterExtension static final}):
     * {@code bin/upki up} with {@code extraEnv} and {@code upOptions} in a fresh home before the first test,
     * {@code bin/upki down} after the last.
     */
    static LocalStack forClass(Map<String, String> extraEnv, String... upOptions) {
        return new LocalStack(null, extraEnv, upOptions);
    }

    static LocalStack forClass() {
        return forClass(Map.of());
    }

    /** Runs {@code prepare} before {@code up} (a check, or a token to make); the variables it returns join the environment. */
    LocalStack before(Callable<Map<String, String>> prepare) {
        this.prepare = prepare;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        extraEnv.putAll(prepare.call());
        tempHome = TempFolder.create("upki-stack-");
        home = tempHome.resolve("home");
        start(freePorts(8));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (up != null && up.exitCode() == 0) {
                close();
            }
        } finally {
            TempFolder.delete(tempHome, "LocalStack");
        }
    }

    static LocalStack up(Path home) throws IOException {
        return up(home, Map.of());
    }

    /** {@code bin/upki up} with {@code extraEnv} added to the environment (and to every later command). */
    static LocalStack up(Path home, Map<String, String> extraEnv) throws IOException {
        return up(home, freePorts(8), extraEnv);
    }

    /**
     * {@code bin/upki up} on {@code ports} (from {@link #freePorts}{@code (8)}: the CA's three first), for a
     * test whose environment names them, such as a CA list with a standby of its own.
     */
    static LocalStack up(Path home, int[] ports, Map<String, String> extraEnv, String... upOptions) throws IOException {
        LocalStack stack = new LocalStack(home, extraEnv, upOptions);
        stack.start(ports);
        return stack;
    }

    private void start(int[] ports) throws IOException {
        this.caPort = ports[0];
        this.raPort = ports[3];
        this.raEdgePort = ports[4];
        this.sidecarPort = ports[5];
        this.publisherPort = ports[6];
        this.caOpsPort = ports[7];
        Command done;
        try {
            // Five minutes: a first start makes an RSA-4096 CA, the RA's RSA-4096 key and the edge's, on a
            // machine that other builds may share.
            List<String> argv = new ArrayList<>(List.of("bin/upki", "up", "--home", home.toString()));
            argv.addAll(List.of(upOptions));
            done = Command.run(root, env(), Duration.ofMinutes(5), argv.toArray(String[]::new));
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\nlogs:\n" + logs(), e);
        }
        if (done.exitCode() != 0) {
            close();
            throw new IllegalStateException("bin/upki up failed: " + done + "\nlogs:\n" + logs());
        }
        up = done;
    }

    /** The environment every command of the test runs with: this stack's ports, never a rebuild. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("UPKI_CA_PORT", String.valueOf(caPort));
        env.put("UPKI_CA_HOST", "127.0.0.1");
        env.put("UPKI_RA_PORT", String.valueOf(raPort));
        env.put("UPKI_RA_EDGE_PORT", String.valueOf(raEdgePort));
        env.put("UPKI_SIDECAR_PORT", String.valueOf(sidecarPort));
        env.put("UPKI_PUBLISHER_PORT", String.valueOf(publisherPort));
        env.put("UPKI_CA_OPS_PORT", String.valueOf(caOpsPort));
        // Maven built the jars just before this module: a nested Maven build must not start here.
        env.put("UPKI_NO_BUILD", "1");
        env.putAll(extraEnv);
        return env;
    }

    Command upki(String... args) throws IOException {
        String[] argv = new String[args.length + 1];
        argv[0] = root.resolve("bin/upki").toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        return Command.run(root, env(), Duration.ofMinutes(1), argv);
    }

    /** {@code bin/upki-cli ARGS} run in {@code workDir} (where it writes keys and certificates). */
    Command cli(Path workDir, String... args) throws IOException {
        String[] argv = new String[args.length + 1];
        argv[0] = root.resolve("bin/upki-cli").toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        return Command.run(workDir, env(), Duration.ofMinutes(1), argv);
    }

    /** {@code ARGV} (curl, openssl) run in {@code workDir} with this stack's environment, for at most 30 s. */
    Command run(Path workDir, String... argv) throws IOException {
        return Command.run(workDir, env(), Duration.ofSeconds(30), argv);
    }

    /** {@code curl --resolve upki-ra:PORT:127.0.0.1 ARGS} in {@code workDir}: upki-ra by name, as a hosts entry would. */
    Command curl(Path workDir, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("curl", "--resolve", "upki-ra:" + raPort + ":127.0.0.1"));
        argv.addAll(List.of(args));
        return run(workDir, argv.toArray(String[]::new));
    }

    /** The RA's health route by the name {@code upki-ra} (see {@link #curl}). */
    String health() {
        return "https://upki-ra:" + raPort + "/api/v1/health";
    }

    /** {@code openssl verify} of {@code leaf} up to the offline root, through the intermediates in {@code untrusted}. */
    Command verifyUpToRoot(Path workDir, Path untrusted, Path leaf) throws IOException {
        return run(workDir, "openssl", "verify", "-CAfile", home.resolve("root/root.crt").toString(),
                "-untrusted", untrusted.toString(), leaf.toString());
    }

    /**
     * Asserts that {@code upki-cli generate} of {@code admin.example.internal} (profile admin) in {@code workDir}
     * succeeds and that its certificate verifies up to the offline root through the online CA's.
     */
    void generateAdminVerifiedUpToRoot(Path workDir) throws IOException {
        Command gen = cli(workDir, "generate", "--host", "127.0.0.1", "--cn", "admin.example.internal", "--profile", "admin");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        Command verify = verifyUpToRoot(workDir, home.resolve("ca/ca.crt"), workDir.resolve("admin.crt"));
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
    }

    /** The edge's HTTP status for {@code NAME.crt} and {@code NAME.key} of {@code workDir} on {@link #health}. */
    String edgeStatus(Path workDir, String name) throws IOException {
        return curl(workDir, "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cert", name + ".crt", "--key", name + ".key",
                "--cacert", "ca.crt", health()).stdout();
    }

    /** Polls {@link #edgeStatus} until it is {@code expected}, 50 times 100 ms apart at most; the last status. */
    String awaitEdgeStatus(Path workDir, String name, String expected) throws IOException, InterruptedException {
        String status = "";
        for (int i = 0; i < 50 && !status.equals(expected); i++) {
            status = edgeStatus(workDir, name);
            Thread.sleep(100);
        }
        return status;
    }

    String logs() {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(home.resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                String text = Files.readString(f);
                sb.append("=== ").append(f.getFileName()).append('\n')
                        .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
            }
        } catch (IOException e) {
            sb.append("(no logs: ").append(e.getMessage()).append(")");
        }
        return sb.toString();
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Seven ports, the first three consecutive (CA operations, registration, events), below the ephemeral range. */
    static int[] freePorts(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_000 - count);
            if (allFree(base, count)) {
                int[] ports = new int[count];
                for (int i = 0; i < count; i++) {
                    ports[i] = base + i;
                }
                return ports;
            }
        }
        throw new IllegalStateException("no block of " + count + " free ports");
    }

    private static boolean allFree(int base, int count) {
        for (int p = base; p < base + count; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        upki("down", "--home", home.toString());
    }
}
