package io.upki.ra.acme;

import io.upki.acme.config.AcmeSettings;
import io.upki.testkit.clock.MutableClock;
import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.publisher.Publisher;
import io.upki.publisher.PublisherConfig;
import io.upki.ra.RaConfig;
import io.upki.ra.RaServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real CA (EC key), crl-publisher, pebble-challtestsrv (the DNS server that resolves every name to
 * 127.0.0.1 and serves TXT records) and an ra-core with ACME on loopback, plus helpers to run lego,
 * certbot and openssl as the tests' real clients.
 */
final class AcmeStack implements AutoCloseable {
    /** What a process printed and how it ended. */
    record Run(int exit, String output) {
    }

    final Path dir;
    final int caPort;
    final int httpPort = freePort();
    final int tlsPort = freePort();
    final int dnsPort = freePort();
    final int dnsManagementPort = freePort();
    final MutableClock clock = new MutableClock();
    final TestCa ca;
    final Publisher publisher;
    final Process challtestsrv;
    final Path caCrt;
    RaServer ra;
    String directory;
    final List<RaServer> others = new ArrayList<>();

    AcmeStack(Path dir) throws Exception {
        this.dir = dir;
        this.caPort = TestCa.freePortBlock();
        TestCa.initialize(dir.resolve("ca"), "ec");
        ca = TestCa.open(dir.resolve("ca"), Duration.ofDays(7), null, Clock.systemUTC(), caPort);
        publisher = Publisher.start(new PublisherConfig(ca.opsEndpoint(), ca.eventsEndpoint(), null, dir.resolve("crl"),
                "127.0.0.1", 0, Duration.ofMinutes(1), Duration.ofMillis(20), Duration.ofMillis(200),
                Duration.ofSeconds(60), Duration.ofSeconds(3)), Clock.systemUTC());
        caCrt = Files.writeString(dir.resolve("ca.crt"), ca.call(CaTask.GET_CA, CaClient.params()).asText());
        challtestsrv = new ProcessBuilder("pebble-challtestsrv", "-dns01", "127.0.0.1:" + dnsPort,
                "-management", "127.0.0.1:" + dnsManagementPort, "-http01", "", "-https01", "", "-tlsalpn01", "",
                "-defaultIPv6", "").redirectErrorStream(true).redirectOutput(dir.resolve("challtestsrv.log").toFile()).start();
        waitForPort(dnsManagementPort);
    }

    AcmeSettings settings(Map<String, byte[]> eab) {
        return settings(eab, null);
    }

    /** The settings with the external base URL a proxy in front of several replicas would give them all. */
    AcmeSettings settings(Map<String, byte[]> eab, String baseUrl) {
        // Every name resolves to 127.0.0.1 here, and the clients answer challenges on loopback.
        return new AcmeSettings(true, "server", httpPort, tlsPort, "127.0.0.1:" + dnsPort, eab, Duration.ofHours(1),
                Duration.ofHours(1), Duration.ofMinutes(30), baseUrl,
                io.upki.acme.validation.NetworkPolicy.parse("127.0.0.0/8"));
    }

    RaServer startRa(RaConfig.Mode mode, AcmeSettings settings) throws Exception {
        return startRa(mode, settings, "ra");
    }

    /** An ra-core with its own data directory {@code name} (several may run on one stack). */
    RaServer startRa(RaConfig.Mode mode, AcmeSettings settings, String name) throws Exception {
        return startRa(mode, settings, name, io.upki.ra.audit.RaAudit.logOnly(clock));
    }

    /** Like {@link #startRa(RaConfig.Mode, AcmeSettings, String)}, recording audit events in {@code audit}. */
    RaServer startRa(RaConfig.Mode mode, AcmeSettings settings, String name, io.upki.ra.audit.RaAudit audit) throws Exception {
        return startRa(mode, settings, name, audit, 0);
    }

    /** An ra-core listening on {@code port} (0: any free port). */
    RaServer startRa(RaConfig.Mode mode, AcmeSettings settings, String name, io.upki.ra.audit.RaAudit audit, int port)
            throws Exception {
        String crl = "http://127.0.0.1:" + publisher.port();
        RaConfig config = new RaConfig(dir.resolve(name), new RaConfig.Listener("127.0.0.1", port, mode, false),
                new RaConfig.CaLink(io.upki.pki.caclient.CaEndpoints.of("127.0.0.1", caPort), Duration.ofSeconds(5)),
                new RaConfig.Identity(TestCa.SEED, "upki-ra", List.of("127.0.0.1", "upki-ra")),
                new io.upki.pki.options.CrlFeedSettings(List.of(crl + "/crl.der"), crl + "/events"),
                Duration.ofSeconds(10), crl, 65536, settings);
        RaServer server = RaServer.start(config, clock, audit);
        if (ra == null || name.equals("ra")) {
            ra = server;
            directory = directoryOf(server, mode);
        } else {
            others.add(server);
        }
        return server;
    }

    static String directoryOf(RaServer server, RaConfig.Mode mode) {
        return (mode == RaConfig.Mode.DIRECT ? "https" : "http") + "://127.0.0.1:" + server.port() + "/acme/directory";
    }

    /** Sets a TXT record on challtestsrv through its management API. */
    void setTxt(String name, String value) throws IOException {
        post("/set-txt", "{\"host\":\"" + name + ".\",\"value\":\"" + value + "\"}");
    }

    void post(String path, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + dnsManagementPort + path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        if (c.getResponseCode() != 200) {
            throw new IOException("challtestsrv " + path + ": HTTP " + c.getResponseCode());
        }
    }

    /** lego against this RA, with the CA trusted, its state in {@code legoDir}. */
    Run lego(Path legoDir, String... args) throws Exception {
        return legoAt(directory, legoDir, args);
    }

    Run legoAt(String directoryUrl, Path legoDir, String... args) throws Exception {
        return legoWith(Map.of(), directoryUrl, legoDir, args);
    }

    Run legoWith(Map<String, String> env, String directoryUrl, Path legoDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("lego", "--server", directoryUrl, "--accept-tos",
                "--email", "ops@example.internal", "--path", legoDir.toString()));
        cmd.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("LEGO_CA_CERTIFICATES", caCrt.toString());
        return run(cmd, all, Duration.ofSeconds(120));
    }

    Run run(List<String> cmd, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "run", ".log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, Files.readString(out) + "\n[timed out]");
        }
        return new Run(p.exitValue(), Files.readString(out));
    }

    /** {@code openssl verify -CAfile ca.crt} on a certificate file (the leaf, the first PEM block). */
    Run opensslVerify(Path certificate) throws Exception {
        return run(List.of("openssl", "verify", "-CAfile", caCrt.toString(), certificate.toString()), Map.of(),
                Duration.ofSeconds(30));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            try {
                new java.net.Socket("127.0.0.1", port).close();
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("challtestsrv did not start");
    }

    @Override
    public void close() {
        if (ra != null) {
            ra.close();
        }
        others.forEach(RaServer::close);
        challtestsrv.destroy();
        publisher.close();
        ca.close();
    }
}
