package io.upki.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests, from the installed binaries: {@code initdb} in a temporary folder,
 * {@code pg_ctl start} on a free loopback port (password authentication over TCP, the unix socket in
 * that folder), a fresh database per test class, and {@code pg_ctl stop} plus removal on {@link #close}.
 *
 * <pre>{@code
 * TestPostgres pg = TestPostgres.shared();               // one server per JVM, stopped at exit
 * TestPostgres.Database db = pg.createDatabase("castore"); // per test class
 * db.storeUrl();  // postgresql://upki@127.0.0.1:PORT/castore_1_ab12 (password: db.password())
 * db.jdbcUrl();   // jdbc:postgresql://127.0.0.1:PORT/castore_1_ab12
 * }</pre>
 *
 * <p>When {@code initdb} and {@code pg_ctl} are neither on the PATH nor in
 * {@code /usr/lib/postgresql/<version>/bin}, {@link #start()} and {@link #shared()} abort the calling test
 * as skipped ({@link Assumptions}) and say so. PostgreSQL refuses to run as root: under root (the CI
 * containers) every server command runs as the unprivileged {@value #UNPRIVILEGED} through
 * {@code runuser -u nobody --}, in a folder handed to that user.
 */
public final class TestPostgres implements AutoCloseable {
    /** The account the server runs as when the tests run as root. */
    public static final String UNPRIVILEGED = "nobody";
    /** The superuser the fixture creates; its password is random per server. */
    public static final String USER = "upki";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    private final Path bin;
    private final Path dir;
    private final boolean asRoot;
    private final String password;
    private final int port;
    private boolean stopped;

    /** One database of the server, and how to reach it over TCP. */
    public record Database(String name, String host, int port, String user, String password) {
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + name;
        }

        /** The form of ca-server's {@code --store} (the password goes separately, never in the URL). */
        public String storeUrl() {
            return "postgresql://" + user + "@" + host + ":" + port + "/" + name;
        }
    }

    private TestPostgres(Path bin, Path dir, boolean asRoot, String password, int port) {
        this.bin = bin;
        this.dir = dir;
        this.asRoot = asRoot;
        this.password = password;
        this.port = port;
    }

    /** The one server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized TestPostgres shared() {
        if (shared == null || shared.stopped) {
            shared = start();
            TestPostgres server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
        }
        return shared;
    }

    /**
     * Starts a server of its own (the caller closes it).
     *
     * @throws org.opentest4j.TestAbortedException when the binaries are absent (the test is skipped)
     */
    public static TestPostgres start() {
        Path bin = findBinaries();
        Assumptions.assumeTrue(bin != null, "PostgreSQL server binaries (initdb, pg_ctl) are neither on the PATH "
                + "nor in /usr/lib/postgresql/*/bin: install Debian's postgresql package (.ci/run does)");
        boolean root = isRoot();
        Assumptions.assumeTrue(!root || Files.isExecutable(Path.of("/usr/sbin/runuser"))
                        || Files.isExecutable(Path.of("/sbin/runuser")),
                "running as root, PostgreSQL needs runuser (util-linux) to start as " + UNPRIVILEGED);
        try {
            Path dir = Files.createTempDirectory("upki-pg");
            if (root) {
                UserPrincipal user = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(UNPRIVILEGED);
                Files.setOwner(dir, user);
            }
            byte[] secret = new byte[18];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            if (root) {
                Files.setOwner(pwfile, Files.getOwner(dir));
            }
            TestPostgres pg = new TestPostgres(bin, dir, root, password, freePort());
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", pg.data().toString(), "-U", USER,
                    "--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                    "--no-locale", "--no-sync"));
            Files.delete(pwfile);
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL for the tests", e);
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void startServer() throws IOException {
        // fsync stays on: the durability the CA claims is PostgreSQL's, and tests must see its real cost.
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                        + " -c max_connections=200", "start"));
    }

    /** Creates an empty database owned by {@link #USER}; its name starts with {@code prefix}. */
    public Database createDatabase(String prefix) {
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        byte[] tail = new byte[3];
        new SecureRandom().nextBytes(tail);
        String name = clean + "_" + DATABASES.incrementAndGet() + "_" + HexFormat.of().formatHex(tail);
        try {
            psql("CREATE DATABASE " + name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create database " + name, e);
        }
        return new Database(name, "127.0.0.1", port, USER, password);
    }

    /** Runs one SQL statement as the superuser through the unix socket (test setup and inspection). */
    public String psql(String sql) throws IOException {
        return run(List.of(bin.resolve("psql").toString(), "-h", dir.toString(), "-p", String.valueOf(port), "-U", USER,
                "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql));
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    private String run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", UNPRIVILEGED, "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted running " + command.get(0), e);
        }
        if (p.exitValue() != 0) {
            String log = "";
            Path server = dir.resolve("server.log");
            if (Files.exists(server)) {
                log = "\nserver.log:\n" + Files.readString(server, StandardCharsets.UTF_8);
            }
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out + log);
        }
        return out.strip();
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its folder. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"));
        } catch (IOException e) {
            System.err.println("TestPostgres: " + e.getMessage());
        }
        io.upki.testkit.TempFolder.delete(dir, "TestPostgres");
    }

    /** The folder holding initdb and pg_ctl: the PATH first, then Debian's versioned folders (newest). */
    static Path findBinaries() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(":")) {
                Path initdb = Path.of(entry.isEmpty() ? "." : entry, "initdb");
                if (Files.isExecutable(initdb)) {
                    Path real = initdb.toAbsolutePath();
                    try {
                        real = initdb.toRealPath(); // Debian links /usr/bin tools to the versioned folder
                    } catch (IOException ignored) {
                        // keep the PATH entry
                    }
                    if (Files.isExecutable(real.resolveSibling("pg_ctl"))) {
                        return real.getParent();
                    }
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
