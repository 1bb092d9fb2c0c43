package io.upki.e2e;

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
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole stack as an operator runs it: {@code bin/upki up} in a fresh home, on free loopback ports
 * (so it never collides with a developer's own {@code bin/upki up}), from the jars this build made.
 */
final class LocalStack implements AutoCloseable {
    final Path root;
    final Path home;
    final int caPort;
    final int raPort;
    final int raEdgePort;
    final int sidecarPort;
    final int publisherPort;
    final int caOpsPort;
    final Command up;
    /** Extra environment of {@code up} and every later command, e.g. UPKI_CA_CLIENT_AUTH=curve. */
    final Map<String, String> extraEnv;

    private LocalStack(Path root, Path home, int[] ports, Command up) {
        this(root, home, ports, up, Map.of());
    }

    private LocalStack(Path root, Path home, int[] ports, Command up, Map<String, String> extraEnv) {
        this.extraEnv = Map.copyOf(extraEnv);
        this.root = root;
        this.home = home;
        this.caPort = ports[0];
        this.raPort = ports[3];
        this.raEdgePort = ports[4];
        this.sidecarPort = ports[5];
        this.publisherPort = ports[6];
        this.caOpsPort = ports[7];
        this.up = up;
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

    static LocalStack up(Path home) throws IOException {
        return up(home, Map.of());
    }

    /** {@code bin/upki up} with {@code extraEnv} added to the environment (and to every later command). */
    static LocalStack up(Path home, Map<String, String> extraEnv) throws IOException {
        return up(home, extraEnv, new String[0]);
    }

    /** {@code bin/upki up} with {@code extraEnv} and extra options of {@code up} (e.g. --with-offline-root). */
    static LocalStack up(Path home, Map<String, String> extraEnv, String... upOptions) throws IOException {
        return up(home, freePorts(8), extraEnv, upOptions);
    }

    /**
     * {@code bin/upki up} on {@code ports} (from {@link #freePorts}{@code (8)}: the CA's three first), for a
     * test whose environment names them, such as a CA list with a standby of its own.
     */
    static LocalStack up(Path home, int[] ports, Map<String, String> extraEnv, String... upOptions) throws IOException {
        Path root = repositoryRoot();
        LocalStack stack = new LocalStack(root, home, ports, null, extraEnv);
        Command up;
        try {
            // Five minutes: a first start makes an RSA-4096 CA, the RA's RSA-4096 key and the edge's, on a
            // machine that other builds may share.
            List<String> argv = new ArrayList<>(List.of("bin/upki", "up", "--home", home.toString()));
            argv.addAll(List.of(upOptions));
            up = Command.run(root, stack.env(), Duration.ofMinutes(5), argv.toArray(String[]::new));
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\nlogs:\n" + stack.logs(), e);
        }
        if (up.exitCode() != 0) {
            stack.close();
            throw new IllegalStateException("bin/upki up failed: " + up + "\nlogs:\n" + stack.logs());
        }
        return new LocalStack(root, home, ports, up, extraEnv);
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
