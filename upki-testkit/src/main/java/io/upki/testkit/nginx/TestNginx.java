package io.upki.testkit.nginx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A real nginx for a test: its configuration, logs and temporary folders in one directory, one
 * {@code server} block of the test's own on a free loopback port, started in the foreground and
 * stopped with its workers on {@link #close}. Tests that need it skip when {@link #installed} is false.
 */
public record TestNginx(Process process, Path dir, int port) implements AutoCloseable {
    /** Debian's nginx (package nginx-light, which .ci/run installs). */
    public static final Path BINARY = Path.of("/usr/sbin/nginx");
    private static final List<String> TEMP = List.of("body", "proxy", "fastcgi", "uwsgi", "scgi");

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts nginx in {@code dir} with the {@code server} block {@code server.apply(port)} (which must
     * listen on {@code 127.0.0.1:port}) and returns once the port accepts connections.
     *
     * @throws IOException when nginx exits or does not listen within 15 s, with its error log
     */
    public static TestNginx start(Path dir, IntFunction<String> server) throws IOException, InterruptedException {
        for (String t : TEMP) {
            Files.createDirectories(dir.resolve("tmp").resolve(t));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // As root, workers would run as nobody and could not enter the test's private temp folder.
        String user = "root".equals(System.getProperty("user.name")) ? "user root;" : "";
        String conf = """
                %1$s
                worker_processes 1;
                pid %2$s/nginx.pid;
                error_log %2$s/error.log info;
                events { worker_connections 64; }
                http {
                    access_log %2$s/access.log;
                    client_body_temp_path %2$s/tmp/body;
                    proxy_temp_path       %2$s/tmp/proxy;
                    fastcgi_temp_path     %2$s/tmp/fastcgi;
                    uwsgi_temp_path       %2$s/tmp/uwsgi;
                    scgi_temp_path        %2$s/tmp/scgi;
                %3$s
                }
                """.formatted(user, dir, server.apply(port));
        Path file = Files.writeString(dir.resolve("nginx.conf"), conf);
        Process process = new ProcessBuilder(BINARY.toString(), "-p", dir + "/", "-c", file.toString(), "-e",
                dir.resolve("error.log").toString(), "-g", "daemon off; master_process on;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx-output.log").toFile()).start();
        TestNginx nginx = new TestNginx(process, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited: " + nginx.errorLog());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return nginx;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    nginx.close();
                    throw new IOException("nginx does not listen on " + port + " after 15 s: " + nginx.errorLog());
                }
                Thread.sleep(50);
            }
        }
    }

    /** nginx's error log so far, for assertion messages. */
    public String errorLog() throws IOException {
        Path log = dir.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
