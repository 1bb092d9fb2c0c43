package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The mTLS admin guide ({@code docs/USER-GUIDE.md}), step by step, against the stack {@code bin/upki up}
 * starts from the built jars with nginx as the TLS edge: the guide's own commands and JSON, with only
 * the port changed (and {@code upki-ra} resolved to loopback, as a hosts entry would).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserGuideTest {
    @RegisterExtension
    static final LocalStack stack = LocalStack.forClass().before(() -> {
        assertThat(Files.isExecutable(Path.of("/usr/sbin/nginx")) || Files.isExecutable(Path.of("/usr/bin/nginx")))
                .as("nginx is part of this test (.ci/run installs nginx-light)").isTrue();
        return Map.of();
    });
    @TempDir
    static Path tmp;
    @TempDir
    static Path operator;

    private String ra() {
        return "https://upki-ra:" + stack.raPort;
    }

    private Command cli(String... args) throws IOException {
        return stack.cli(operator, args);
    }

    private Command curl(String... args) throws IOException {
        return stack.curl(operator, args);
    }

    @Test
    @Order(1)
    void upPrintsWhereEverythingIsAndTheNextCommands() {
        assertThat(stack.up.stdout()).contains("nginx edge", "https://upki-ra:" + stack.raPort,
                "upki-cli generate --host 127.0.0.1 --cn \"admin.example.internal\" --profile admin",
                stack.home.resolve("logs").toString());
    }

    @Test
    @Order(2)
    void step1TheCliIssuesAnAdminCertificateWithAKeyMadeHere() throws Exception {
        Command gen = cli("generate", "--host", "127.0.0.1", "--cn", "admin.example.internal", "--profile", "admin");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        assertThat(operator.resolve("admin.key")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(operator.resolve("admin.key"))))
                .isEqualTo("rw-------");
        Command verify = Command.run(operator, stack.env(), Duration.ofSeconds(20),
                "openssl", "verify", "-purpose", "sslclient", "-CAfile", "ca.crt", "admin.crt");
        assertThat(verify.stdout()).as(verify.toString()).contains("admin.crt: OK");
        Command text = Command.run(operator, stack.env(), Duration.ofSeconds(20),
                "openssl", "x509", "-in", "admin.crt", "-noout", "-subject", "-ext", "extendedKeyUsage");
        assertThat(text.stdout()).contains("CN = admin.example.internal", "TLS Web Client Authentication");
    }

    @Test
    @Order(3)
    void step2And3CurlWithTheAdminCertificateGets200() throws Exception {
        Command ok = curl("-s", "-w", "\n%{http_code}", "--cert", "admin.crt", "--key", "admin.key", "--cacert", "ca.crt",
                ra() + "/api/v1/health");
        assertThat(ok.stdout()).as(ok.toString()).endsWith("\n200").contains("\"role\":\"admin\"");
    }

    @Test
    @Order(4)
    void withoutAClientCertificateTheEdgeRefuses() throws Exception {
        Command refused = curl("-s", "-w", "\n%{http_code}", "--cacert", "ca.crt", ra() + "/api/v1/health");
        // The guide: "403 Forbidden or TLS handshake error". 403 it is, with the sidecar's reason in a JSON body
        // (behind nginx, rebuilt from the sidecar's X-Upki-Refusal headers; in direct mode, ra-core's own).
        assertThat(refused.stdout()).as(refused.toString()).endsWith("\n403")
                .contains("\"reason\":\"no_certificate\"").contains("\"message\":\"no client certificate");
    }

    @Test
    @Order(5)
    void step2PythonHttpxAsInTheGuide() throws Exception {
        // The guide's Python, verbatim but for the port; upki-ra resolves to loopback like a hosts entry.
        String script = """
                import socket
                _real = socket.getaddrinfo
                socket.getaddrinfo = lambda host, *a, **k: _real("127.0.0.1" if host == "upki-ra" else host, *a, **k)

                import httpx

                client = httpx.Client(
                    cert=("admin.crt", "admin.key"),
                    verify="ca.crt"
                )
                response = client.get("https://upki-ra:PORT/api/v1/health")
                print(response.status_code, response.text)
                """.replace("PORT", String.valueOf(stack.raPort));
        Files.writeString(operator.resolve("guide.py"), script);
        Command py = Command.run(operator, stack.env(), Duration.ofSeconds(60), "/usr/bin/python3", "guide.py");
        assertThat(py.stdout()).as(py.toString()).startsWith("200 ").contains("admin.example.internal");
    }

    @Test
    @Order(5)
    void theAcmeDirectoryIsPublicThroughTheEdgeWithTheEdgesOwnUrls() throws Exception {
        Command dir = curl("-s", "--cacert", "ca.crt", ra() + "/acme/directory");
        // Reached without a client certificate (the sidecar's public /acme route), and every URL is the
        // edge's own, port included, so an ACME client signs the URLs it really calls.
        assertThat(dir.stdout()).as(dir.toString()).contains("\"newNonce\":\"" + ra() + "/acme/new-nonce\"",
                "\"newAccount\":\"" + ra() + "/acme/new-account\"");
    }

    @Test
    @Order(6)
    void aClientCertificateIsRefusedOnTheAdminApiAndAcceptedOnTheClientApi() throws Exception {
        Command gen = cli("generate", "--host", "127.0.0.1", "--cn", "laptop-7.example.internal", "--profile", "user");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        MtlsClient laptop = MtlsClient.in(operator, "user");
        String base = "https://127.0.0.1:" + stack.raPort;
        assertThat(laptop.get(base + "/api/v1/health").statusCode()).isEqualTo(403);
        assertThat(laptop.get(base + "/api/v1/certificates").statusCode()).isEqualTo(403);
        var own = laptop.get(base + "/api/client/certificate");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("laptop-7.example.internal");
    }

    @Test
    @Order(7)
    void revokingOverZeroMqThenGeneratingTheCrlLocksTheAdminOutWithinOneSecond() throws Exception {
        MtlsClient admin = MtlsClient.in(operator, "admin");
        String health = "https://127.0.0.1:" + stack.raPort + "/api/v1/health";
        assertThat(admin.get(health).statusCode()).isEqualTo(200);
        try (ZContext zmq = new ZContext(); ZMQ.Socket req = zmq.createSocket(SocketType.REQ)) {
            req.setHandshakeIvl(1000);
            req.setReceiveTimeOut(15_000);
            req.connect("tcp://127.0.0.1:" + stack.caPort);
            // The guide's two messages, verbatim.
            req.send("""
                    {
                      "TASK": "revoke",
                      "params": {
                        "dn": "/CN=admin.example.internal",
                        "reason": "cessationOfOperation"
                      }
                    }""");
            String revoked = req.recvStr();
            assertThat(revoked).as("revoke reply").contains("\"EVENT\"").contains("ANSWER");
            req.send("""
                    {
                      "TASK": "generate_crl",
                      "params": {}
                    }""");
            String crl = req.recvStr();
            long crlAt = System.nanoTime();
            assertThat(crl).as("generate_crl reply").contains("ANSWER");
            int status = 0;
            while (System.nanoTime() - crlAt < Duration.ofSeconds(5).toNanos()) {
                status = admin.get(health).statusCode();
                if (status == 403) {
                    break;
                }
                Thread.sleep(20);
            }
            long refusedAfterMs = (System.nanoTime() - crlAt) / 1_000_000;
            assertThat(status).as("the revoked admin is refused at the edge").isEqualTo(403);
            System.out.println("e2e: revoked admin refused at the edge " + refusedAfterMs + " ms after generate_crl");
        }
        Command curlAfter = curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "--cert", "admin.crt", "--key", "admin.key",
                "--cacert", "ca.crt", ra() + "/api/v1/health");
        assertThat(curlAfter.stdout()).isEqualTo("403");
    }

    @Test
    @Order(8)
    void theCaddyEdgeOfDeployCaddyGivesTheSameAnswers() throws Exception {
        Command gen = cli("generate", "--host", "127.0.0.1", "--cn", "second-admin.example.internal", "--profile", "admin",
                "--name", "second-admin");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        int port = LocalStack.freePorts(1)[0];
        Path work = Files.createDirectories(tmp.resolve("caddy"));
        Path edge = stack.home.resolve("edge");
        String conf = Files.readString(stack.root.resolve("deploy/caddy/Caddyfile.template"))
                .replace("@BIND@", "127.0.0.1").replace("@SERVER_NAME@", "upki-ra").replace("@PORT@", String.valueOf(port))
                .replace("@CERT@", edge.resolve("edge.crt").toString()).replace("@KEY@", edge.resolve("edge.key").toString())
                .replace("@SIDECAR@", "127.0.0.1:" + stack.sidecarPort).replace("@UPSTREAM@", "127.0.0.1:" + stack.raEdgePort)
                // Mutual TLS to the sidecar and ra-core with the proxy certificate bin/upki up issued (issue #16 M1).
                .replace("@PROXY_CERT@", edge.resolve("proxy.crt").toString()).replace("@PROXY_KEY@", edge.resolve("proxy.key").toString())
                .replace("@CA@", stack.home.resolve("ca/ca.crt").toString())
                .replace("@SIDECAR_NAME@", "auth-sidecar").replace("@UPSTREAM_NAME@", "upki-ra");
        Path file = Files.writeString(work.resolve("Caddyfile"), conf);
        ProcessBuilder pb = new ProcessBuilder("caddy", "run", "--config", file.toString(), "--adapter", "caddyfile")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("caddy.log").toFile());
        // Caddy's storage and autosave go to XDG folders: keep them in the test's folder.
        pb.environment().put("HOME", work.toString());
        pb.environment().put("XDG_DATA_HOME", work.resolve("data").toString());
        pb.environment().put("XDG_CONFIG_HOME", work.resolve("config").toString());
        Process caddy = pb.start();
        try {
            for (int i = 0; i < 100 && !LocalStack.listening(port); i++) {
                assertThat(caddy.isAlive()).as(Files.readString(work.resolve("caddy.log"))).isTrue();
                Thread.sleep(100);
            }
            // Caddy serves the site by name (SNI and Host), so curl resolves upki-ra as a hosts entry would.
            String base = "https://upki-ra:" + port;
            String resolve = "upki-ra:" + port + ":127.0.0.1";
            Command ok = Command.run(operator, stack.env(), Duration.ofSeconds(30), "curl", "-s", "--resolve", resolve,
                    "--cert", "second-admin.crt", "--key", "second-admin.key", "--cacert", "ca.crt", base + "/api/v1/health");
            assertThat(ok.stdout()).as(ok.toString()).contains("\"role\":\"admin\"", "second-admin.example.internal");
            assertThat(caddyStatus(resolve, base + "/api/v1/health", "admin")).as("revoked admin").isEqualTo("403");
            assertThat(caddyStatus(resolve, base + "/api/v1/health", "user")).as("client on admin API").isEqualTo("403");
            assertThat(caddyStatus(resolve, base + "/api/client/certificate", "user")).isEqualTo("200");
            assertThat(caddyStatus(resolve, base + "/api/v1/health", null)).as("no certificate").isEqualTo("403");
            Command none = Command.run(operator, stack.env(), Duration.ofSeconds(30), "curl", "-s", "--resolve", resolve,
                    "--cacert", "ca.crt", base + "/api/v1/health");
            assertThat(none.stdout()).as(none.toString()).contains("\"reason\":\"no_certificate\"", "no client certificate");
            assertThat(caddyStatus(resolve, base + "/api/v1/public/health", null)).isEqualTo("200");
        } finally {
            caddy.destroy();
            caddy.waitFor();
        }
    }

    private String caddyStatus(String resolve, String url, String name) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--resolve", resolve, "--cacert", "ca.crt"));
        if (name != null) {
            argv.addAll(List.of("--cert", name + ".crt", "--key", name + ".key"));
        }
        argv.add(url);
        return Command.run(operator, stack.env(), Duration.ofSeconds(30), argv).stdout();
    }

    @Test
    @Order(9)
    void statusReportsEveryProcessHealthy() throws Exception {
        Command status = stack.upki("status", "--home", stack.home.toString());
        assertThat(status.exitCode()).as(status.toString()).isZero();
        for (String name : List.of("ca-server", "crl-publisher", "auth-sidecar", "ra-core", "nginx")) {
            assertThat(status.stdout()).containsPattern("(?m)^" + name + "\\s+\\d+\\s+\\S+.*\\sok$");
        }
    }

    @Test
    @Order(10)
    void downStopsExactlyWhatUpStarted() throws Exception {
        List<Long> pids = new java.util.ArrayList<>();
        try (var files = Files.list(stack.home.resolve("run"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(f).trim().split(" ")[0]));
            }
        }
        assertThat(pids).hasSize(5);
        Command down = stack.upki("down", "--home", stack.home.toString());
        assertThat(down.exitCode()).as(down.toString()).isZero();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
        for (int port : new int[] {stack.caPort, stack.raPort, stack.raEdgePort, stack.sidecarPort, stack.publisherPort}) {
            assertThat(LocalStack.listening(port)).as("port " + port).isFalse();
        }
        Command status = stack.upki("status", "--home", stack.home.toString());
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.stdout()).contains("stopped");
        // A second down finds nothing to stop and says so.
        assertThat(stack.upki("down", "--home", stack.home.toString()).stdout()).contains("nothing to stop");
    }
}
