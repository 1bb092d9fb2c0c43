package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.testkit.TempFolder;
import io.upki.testkit.postgres.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #18's "done when", with real processes from the built jars: a CA pair (active + standby) and two
 * ra-cores on one real PostgreSQL, the only nginx in front of both ra-cores (the auth-sidecar behind it),
 * the user guide through it, a {@code kill -9} of the active CA in the middle, and an ACME order by lego
 * whose requests land on both ra-cores in turn.
 *
 * <p>{@code bin/upki up} starts the first CA, crl-publisher, auth-sidecar, ra-core and nginx with
 * {@code UPKI_STORE}, {@code UPKI_ACME_STORE} and {@code UPKI_CA} naming the pair; the test starts the
 * standby CA (a copy of the CA's directory: the same key) and the second ra-core, and adds it to nginx's
 * upstream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaStackTest {
    private static final Duration READY = Duration.ofSeconds(90);

    @TempDir
    static Path tmp;

    static LocalStack stack;
    static Path operator;
    static int caB;
    static int opsB;
    static int raEdgeB;
    static int dnsPort;
    static int dnsManagement;
    static int httpPort;
    static Path nginxLog;
    static final List<Process> started = new ArrayList<>();
    static Process standbyCa;
    static Map<String, String> env;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/lego")) && Files.isExecutable(Path.of(
                "/usr/bin/pebble-challtestsrv")), "lego and pebble-challtestsrv are part of this test (.ci/run installs them)");
        assertThat(Files.isExecutable(Path.of("/usr/sbin/nginx"))).as("nginx is part of this test (.ci/run)").isTrue();
        TestPostgres pg = TestPostgres.shared();
        TestPostgres.Database caStore = pg.createDatabase("ha_ca");
        TestPostgres.Database acmeStore = pg.createDatabase("ha_acme");
        int[] ports = LocalStack.freePorts(8);
        int[] more = LocalStack.freePorts(8);
        caB = more[0]; // + 1 registration, + 2 events
        opsB = more[3];
        raEdgeB = more[4];
        dnsPort = more[5];
        dnsManagement = more[6];
        httpPort = more[7];
        Map<String, String> extra = new HashMap<>();
        extra.put("UPKI_STORE", caStore.storeUrl());
        extra.put("PGPASSWORD", caStore.password());
        extra.put("UPKI_ACME_STORE", acmeStore.storeUrl());
        // The pair, for every process bin/upki starts and for upki-cli: the guide's commands unchanged.
        extra.put("UPKI_CA", "tcp://127.0.0.1:" + ports[0] + ",tcp://127.0.0.1:" + caB);
        // ACME validation resolves every name to 127.0.0.1 (challtestsrv) and connects to lego's port.
        extra.put("UPKI_ACME_DNS", "127.0.0.1:" + dnsPort);
        extra.put("UPKI_ACME_HTTP_PORT", String.valueOf(httpPort));
        started.add(new ProcessBuilder("pebble-challtestsrv", "-dns01", "127.0.0.1:" + dnsPort,
                "-management", "127.0.0.1:" + dnsManagement, "-http01", "", "-https01", "", "-tlsalpn01", "",
                "-defaultIPv6", "").redirectErrorStream(true).redirectOutput(tmp.resolve("challtestsrv.log").toFile()).start());
        stack = LocalStack.up(tmp.resolve("home"), ports, extra);
        env = stack.env();
        operator = Files.createDirectories(tmp.resolve("operator"));

        // The standby: the same CA directory (key, CURVE key, profiles), the same store.
        Path dirB = tmp.resolve("ca-b");
        TempFolder.copy(stack.home.resolve("ca"), dirB);
        standbyCa = java(tmp.resolve("ca-b.log"), Map.of(), "ca-server", "start", "--data-dir", dirB.toString(),
                "--port", String.valueOf(caB), "--client-auth", "none", "--ops-listen", "127.0.0.1:" + opsB);
        awaitHttp("http://127.0.0.1:" + opsB + "/ready", 503, "standby", standbyCa, tmp.resolve("ca-b.log"));

        // The second ra-core: its own data directory (it registers its own ra.key with the seed), the
        // same ACME store and CA pair, on its own edge port.
        String publisher = "http://127.0.0.1:" + stack.publisherPort;
        Process raB = java(tmp.resolve("ra-b.log"), Map.of("UPKI_CA_SEED", Files.readString(stack.home.resolve(".seed")).strip(),
                        "UPKI_RA_EDGE_TLS", "true"), "ra-core", "start", "--mode", "edge",
                "--data-dir", tmp.resolve("ra-b").toString(), "--port", String.valueOf(raEdgeB),
                "--crl", publisher + "/crl.der", "--crl-events", publisher + "/events", "--publisher", publisher,
                "--acme-allow-networks", "127.0.0.0/8,::1/128");
        awaitLog(tmp.resolve("ra-b.log"), "upki ra-core ready", raB);
        addToNginx();
    }

    /**
     * nginx as bin/upki up wrote it, with the second ra-core in the upstream (round robin: consecutive
     * requests alternate), the ACME order's creation pinned to the first and its finalization to the
     * second, and a log of which ra-core served each request.
     */
    private static void addToNginx() throws Exception {
        Path edge = stack.home.resolve("edge");
        Path conf = edge.resolve("nginx.conf");
        String text = Files.readString(conf);
        String a = "127.0.0.1:" + stack.raEdgePort;
        String b = "127.0.0.1:" + raEdgeB;
        String upstream = "    upstream upki_ra {\n        server " + a + ";\n";
        assertThat(text).contains(upstream, "proxy_pass https://upki_ra;");
        nginxLog = stack.home.resolve("logs/nginx-ha.log");
        text = text.replace(upstream, "    upstream upki_ra_a {\n        server " + a + ";\n        keepalive 4;\n    }\n"
                        + "    upstream upki_ra_b {\n        server " + b + ";\n        keepalive 4;\n    }\n"
                        + "    map $request_uri $upki_ra_pick {\n        ~^/acme/new-order upki_ra_a;\n"
                        + "        ~/finalize$ upki_ra_b;\n        default upki_ra;\n    }\n"
                        + "    log_format upki_ha '$upstream_addr $request_method $request_uri $status';\n"
                        + "    access_log " + nginxLog + " upki_ha;\n"
                        + upstream + "        server " + b + ";\n")
                .replace("proxy_pass https://upki_ra;", "proxy_pass https://$upki_ra_pick;");
        Files.writeString(conf, text);
        Command reload = Command.run(edge, env, Duration.ofSeconds(30), "/usr/sbin/nginx", "-p", edge + "/", "-c",
                conf.toString(), "-e", stack.home.resolve("logs/nginx-error.log").toString(), "-s", "reload");
        assertThat(reload.exitCode()).as(reload.toString()).isZero();
        // The new workers answer once the log file appears with a request.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(Files.exists(nginxLog) && Files.readString(nginxLog).contains(b))) {
            assertThat(System.nanoTime()).as("nginx serves from both ra-cores").isLessThan(deadline);
            curl("-s", "-o", "/dev/null", "--cacert", stack.home.resolve("ca/ca.crt").toString(),
                    "https://upki-ra:" + stack.raPort + "/api/v1/public/health");
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            for (Process p : started) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    private static Process java(Path log, Map<String, String> extraEnv, String module, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", stack.root.resolve(module + "/target/" + module + ".jar").toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private Command cli(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(stack.root.resolve("bin/upki-cli").toString()));
        argv.addAll(List.of(args));
        return Command.run(operator, env, Duration.ofMinutes(1), argv);
    }

    private static Command curl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("curl", "--resolve", "upki-ra:" + stack.raPort + ":127.0.0.1"));
        argv.addAll(List.of(args));
        return Command.run(operator == null ? tmp : operator, env, Duration.ofSeconds(30), argv);
    }

    private static String ra() {
        return "https://upki-ra:" + stack.raPort;
    }

    private static String adminStatus(String path) throws IOException {
        return curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "--cert", "admin.crt", "--key", "admin.key",
                "--cacert", "ca.crt", ra() + path).stdout();
    }

    @Test
    @Order(1)
    void theGuideRunsThroughNginxOnBothRaCoresWithTheStandbyWaiting() throws Exception {
        Command gen = cli("generate", "--host", "127.0.0.1", "--cn", "admin.example.internal", "--profile", "admin");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        int before = logLines().size();
        for (int i = 0; i < 4; i++) {
            Command ok = curl("-s", "-w", "\n%{http_code}", "--cert", "admin.crt", "--key", "admin.key", "--cacert", "ca.crt",
                    ra() + "/api/v1/health");
            assertThat(ok.stdout()).as(ok.toString()).endsWith("\n200").contains("\"role\":\"admin\"");
        }
        // Round robin: the four requests went to both ra-cores.
        assertThat(logLines().subList(before, logLines().size()).stream().map(l -> l.split(" ")[0]).distinct())
                .containsExactlyInAnyOrder("127.0.0.1:" + stack.raEdgePort, "127.0.0.1:" + raEdgeB);
        assertThat(curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", "ca.crt", ra() + "/api/v1/health")
                .stdout()).as("no client certificate").isEqualTo("403");
    }

    @Test
    @Order(2)
    void aKillOfTheActiveCaLosesNothingAndTheNextCommandSucceeds() throws Exception {
        long caPid = Long.parseLong(Files.readString(stack.home.resolve("run/ca-server.pid")).trim().split("\\s+")[0]);
        ProcessHandle active = ProcessHandle.of(caPid).orElseThrow();
        active.destroyForcibly(); // SIGKILL
        active.onExit().get();
        long killedAt = System.nanoTime();

        Command gen = cli("generate", "--host", "127.0.0.1", "--cn", "laptop-7.example.internal", "--profile", "user");
        long generated = System.nanoTime();
        assertThat(gen.exitCode()).as(gen + "\nstandby log:\n" + tail(tmp.resolve("ca-b.log"))).isZero();
        awaitHttp("http://127.0.0.1:" + opsB + "/health", 200, "", standbyCa, tmp.resolve("ca-b.log"));

        // Through nginx, on both ra-cores, the CA-backed list has the certificate of before and after the kill.
        String list = ra() + "/api/v1/certificates?limit=100";
        long firstList = 0;
        for (int i = 0; i < 2; i++) {
            Command c = awaitListing(list);
            firstList = firstList == 0 ? System.nanoTime() : firstList;
            assertThat(c.stdout()).contains("admin.example.internal", "laptop-7.example.internal");
        }
        System.out.printf("[ha-stack] kill -9 of the active CA: upki-cli generate (a new JVM) succeeded %d ms after the "
                + "kill; the certificate list through nginx answered 200 from both ra-cores %d ms after it%n",
                (generated - killedAt) / 1_000_000, (firstList - killedAt) / 1_000_000);
        Command verify = Command.run(operator, env, Duration.ofSeconds(20), "openssl", "verify", "-CAfile", "ca.crt", "user.crt");
        assertThat(verify.stdout()).as(verify.toString()).contains("user.crt: OK");
    }

    private Command awaitListing(String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Command c;
        do {
            c = curl("-s", "-w", "\n%{http_code}", "--cert", "admin.crt", "--key", "admin.key", "--cacert", "ca.crt", url);
            if (c.stdout().endsWith("\n200")) {
                return c;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no 200 for " + url + " after the failover: " + c + "\n" + stack.logs());
    }

    @Test
    @Order(3)
    void legoOrdersThroughNginxCreatedOnOneRaCoreFinalizedOnTheOther() throws Exception {
        Path legoDir = tmp.resolve("lego");
        int before = logLines().size();
        Command lego = Command.run(operator, Map.of("LEGO_CA_CERTIFICATES", stack.home.resolve("ca/ca.crt").toString()),
                Duration.ofMinutes(3), "lego", "--server", "https://127.0.0.1:" + stack.raPort + "/acme/directory",
                "--accept-tos", "--email", "ops@example.internal", "--path", legoDir.toString(),
                "--http", "--http.port", "127.0.0.1:" + httpPort, "-d", "ha-web.example.internal", "run");
        assertThat(lego.exitCode()).as(lego + "\n" + stack.logs()).isZero();
        assertThat(lego.stdout() + lego.stderr()).doesNotContain("badNonce");
        Path crt = legoDir.resolve("certificates/ha-web.example.internal.crt");
        Command verify = Command.run(operator, env, Duration.ofSeconds(20), "openssl", "verify", "-CAfile", "ca.crt",
                "-untrusted", crt.toString(), crt.toString());
        assertThat(verify.stdout()).as(verify.toString()).contains(": OK");

        String a = "127.0.0.1:" + stack.raEdgePort;
        String b = "127.0.0.1:" + raEdgeB;
        List<String> acme = logLines().subList(before, logLines().size()).stream().filter(l -> l.contains(" /acme/")).toList();
        assertThat(acme).as("no ACME request refused (a badNonce is a 400)").noneMatch(l -> l.endsWith(" 400"));
        assertThat(acme).anyMatch(l -> l.startsWith(a + " POST /acme/new-order "))
                .anyMatch(l -> l.startsWith(b + " POST ") && l.contains("/finalize "));
        // Every other request alternated between the two: each JWS carried a nonce the other ra-core issued.
        List<String> roundRobin = acme.stream().filter(l -> !l.contains("/acme/new-order ") && !l.contains("/finalize "))
                .map(l -> l.split(" ")[0]).toList();
        assertThat(roundRobin).hasSizeGreaterThan(4).contains(a, b);
        for (int i = 1; i < roundRobin.size(); i++) {
            assertThat(roundRobin.get(i)).as("request %d of %s", i, acme).isNotEqualTo(roundRobin.get(i - 1));
        }
        System.out.printf("[ha-stack] lego: %d ACME requests through nginx, new-order on %s, finalize on %s, the other %d "
                + "alternating; no badNonce%n", acme.size(), a, b, roundRobin.size());
    }

    @Test
    @Order(4)
    void revokingOnTheStandbyThatTookOverRefusesTheAdminAtTheEdge() throws Exception {
        assertThat(adminStatus("/api/v1/health")).isEqualTo("200");
        Command revoke = cli("revoke", "--dn", "/CN=admin.example.internal", "--reason", "cessationOfOperation");
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        Command crl = cli("generate-crl");
        long crlAt = System.nanoTime();
        assertThat(crl.exitCode()).as(crl.toString()).isZero();
        String status = "";
        // Four requests in a row refused: both ra-cores' edge (through the one sidecar) took the new CRL.
        int refusedInARow = 0;
        while (refusedInARow < 4 && System.nanoTime() - crlAt < Duration.ofSeconds(15).toNanos()) {
            status = adminStatus("/api/v1/health");
            refusedInARow = status.equals("403") ? refusedInARow + 1 : 0;
            if (refusedInARow == 0) {
                Thread.sleep(50);
            }
        }
        assertThat(status).as("the revoked admin is refused\n" + stack.logs()).isEqualTo("403");
        System.out.printf("[ha-stack] revoked admin refused at the edge %d ms after generate-crl returned%n",
                (System.nanoTime() - crlAt) / 1_000_000);
    }

    private static List<String> logLines() throws IOException {
        return Files.exists(nginxLog) ? Files.readAllLines(nginxLog) : List.of();
    }

    private static void awaitHttp(String url, int status, String body, Process process, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as(tail(log)).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == status && r.body().contains(body)) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " did not answer " + status + ":\n" + tail(log));
    }

    private static void awaitLog(Path log, String line, Process process) throws Exception {
        long deadline = System.nanoTime() + READY.toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(line))) {
            assertThat(process.isAlive()).as(tail(log)).isTrue();
            assertThat(System.nanoTime()).as("'%s' in %s:\n%s", line, log, tail(log)).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log " + log + ")";
        }
    }

}
