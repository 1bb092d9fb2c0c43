package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.upki.cli.renewal.RenewalAgent;
import io.upki.cli.renewal.SelfRenewal;
import io.upki.cli.renewal.WatchedPair;
import io.upki.pki.x509.Pem;
import io.upki.testkit.nginx.TestNginx;
import io.upki.ra.CliRaStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The renewal agent through the real path: a real CA, crl-publisher and ra-core (direct mutual TLS), and a
 * real nginx that checks client certificates against the CA ({@code ssl_verify_client on}). The user profile
 * lasts 30 days and profiles count in days, so the agent's clock is injected and moved to each due time by
 * the test; the RA, the TLS, the files and nginx are real. The pair renews itself twice and nginx accepts
 * each new certificate.
 */
class AgentRenewalTest {

    @TempDir
    static Path dir;
    static CliRaStack stack;
    static Path work;
    static Map<String, String> env;
    static TestNginx nginx;
    static int nginxPort;

    @BeforeAll
    static void start() throws Exception {
        stack = new CliRaStack(dir.resolve("stack"));
        work = Files.createDirectories(dir.resolve("client"));
        env = Map.of("UPKI_CA_PORT", Integer.toString(stack.caPort()));
        ok("generate", "--cn", "alice.example.internal", "--profile", "user", "--name", "alice");
        ok("generate", "--cn", "edge.example.internal", "--profile", "server", "--name", "edge",
                "--san", "IP:127.0.0.1", "--force");
        if (TestNginx.installed()) {
            startNginx();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        stack.close();
    }

    static CliRun.Result ok(String... args) {
        CliRun.Result r = CliRun.run(work, env, args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    static void startNginx() throws Exception {
        nginx = TestNginx.start(work, port -> """
                    server {
                        listen 127.0.0.1:%2$d ssl;
                        ssl_certificate     %1$s/edge.crt;
                        ssl_certificate_key %1$s/edge.key;
                        ssl_verify_client on;
                        ssl_client_certificate %1$s/ca.crt;
                        ssl_session_cache off;
                        ssl_session_tickets off;
                        location / { return 200 "$ssl_client_serial"; }
                    }
                """.formatted(work, port));
        nginxPort = nginx.port();
    }

    /** What nginx answers a TLS handshake with the pair: the client serial it verified, or the status. */
    static String nginxSays(String cert, String key) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "--max-time", "10", "--cacert", "ca.crt", "-w", " %{http_code}",
                "--cert", cert, "--key", key, "https://127.0.0.1:" + nginxPort + "/")
                .directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** nginx's answer when it verified a client certificate with this serial ($ssl_client_serial is upper-case hex). */
    static String accepted(BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(java.util.Locale.ROOT);
        return (hex.length() % 2 == 1 ? "0" + hex : hex) + " 200";
    }

    static X509Certificate cert(String name) throws IOException {
        return Pem.parseCertificate(Files.readString(work.resolve(name)));
    }

    /** A clock the test moves; the agent's sleeps wait for the test, which then sets the time. */
    static final class TestTime {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        final BlockingQueue<Duration> asked = new LinkedBlockingQueue<>();
        final Semaphore go = new Semaphore(0);
        final Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        final RenewalAgent.Sleeper sleeper = d -> {
            asked.put(d);
            go.acquire();
            now.updateAndGet(t -> t.plus(d));
        };

        Duration nextSleep() throws InterruptedException {
            Duration d = asked.poll(120, TimeUnit.SECONDS);
            assertThat(d).as("the agent asked to sleep").isNotNull();
            return d;
        }
    }

    /** Jitter fractions in turn (then 0): each new certificate's due time lies after the previous one's. */
    static Random scripted(double... fractions) {
        return new Random() {
            int i;

            @Override
            public double nextDouble() {
                return i < fractions.length ? fractions[i++] : 0.0;
            }
        };
    }

    @Test
    void thePairRenewsItselfTwiceAtTwoThirdsOfItsLifeAndNginxAcceptsEachNewCertificate() throws Exception {
        assumeThat(TestNginx.installed()).as("nginx is installed at /usr/sbin/nginx (.ci/run: nginx-light)").isTrue();
        ok("generate", "--cn", "bob.example.internal", "--profile", "user", "--name", "bob");
        X509Certificate first = cert("bob.crt");
        assertThat(nginxSays("bob.crt", "bob.key")).isEqualTo(accepted(first.getSerialNumber()));

        TestTime time = new TestTime();
        WatchedPair pair = new WatchedPair(work.resolve("bob.crt"), work.resolve("bob.key"));
        Path marker = work.resolve("exec-saw.crt");
        RenewalAgent agent = new RenewalAgent(
                List.of(new RenewalAgent.Watch(pair, List.of("cp", pair.cert().toString(), marker.toString()))),
                new SelfRenewal(URI.create(stack.raUrl()), work.resolve("ca.crt"), Duration.ofSeconds(30), new SecureRandom()),
                time.clock, scripted(0.9, 0.5), time.sleeper, RenewalAgent.Timing.DEFAULT, new PrintWriter(new StringWriter()));
        Thread thread = new Thread(() -> {
            try {
                agent.run();
            } catch (InterruptedException stopped) {
                // the test ends the agent
            }
        });
        thread.start();
        try {
            Duration life = Duration.between(first.getNotBefore().toInstant(), first.getNotAfter().toInstant());
            // Not due yet: the agent sleeps until two thirds of the life, less 0.9 of a tenth (the jitter drawn).
            Instant due = first.getNotBefore().toInstant().plus(life.multipliedBy(2).dividedBy(3))
                    .minusMillis((long) (life.dividedBy(10).toMillis() * 0.9));
            Duration sleep = time.nextSleep();
            assertThat(sleep).isEqualTo(Duration.between(time.now.get(), due).compareTo(Duration.ofHours(1)) > 0
                    ? Duration.ofHours(1) : Duration.between(time.now.get(), due));
            assertThat(cert("bob.crt").getSerialNumber()).isEqualTo(first.getSerialNumber());

            BigInteger previous = first.getSerialNumber();
            String previousKey = Files.readString(pair.key());
            for (int renewal = 1; renewal <= 2; renewal++) {
                // Jump to the due time (the agent re-looks at least hourly; each look before it sleeps again).
                Instant target = RenewalScheduleView.dueFor(cert("bob.crt"), renewal == 1 ? 0.9 : 0.5);
                time.now.set(target.minus(sleep));
                time.go.release();
                sleep = time.nextSleep();
                X509Certificate now = cert("bob.crt");
                assertThat(now.getSerialNumber()).as("renewal " + renewal).isNotEqualTo(previous);
                assertThat(now.getSubjectX500Principal()).isEqualTo(first.getSubjectX500Principal());
                assertThat(Files.readString(pair.key())).isNotEqualTo(previousKey);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pair.key()))).isEqualTo("rw-------");
                assertThat(pair.nextCert()).doesNotExist();
                assertThat(pair.nextKey()).doesNotExist();
                assertThat(Files.readString(marker)).as("--exec ran after the pair was replaced")
                        .isEqualTo(Files.readString(pair.cert()));
                assertThat(nginxSays("bob.crt", "bob.key")).isEqualTo(accepted(now.getSerialNumber()));
                previous = now.getSerialNumber();
                previousKey = Files.readString(pair.key());
            }
        } finally {
            thread.interrupt();
            thread.join(30_000);
        }
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void anUnreachableRaIsRetriedWithExponentialBackoffAndThePairIsLeftAlone() throws Exception {
        ok("generate", "--cn", "carol.example.internal", "--profile", "user", "--name", "carol");
        String before = Files.readString(work.resolve("carol.crt"));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        TestTime time = new TestTime();
        time.now.set(Instant.now().plus(Duration.ofDays(29)));
        WatchedPair pair = new WatchedPair(work.resolve("carol.crt"), work.resolve("carol.key"));
        StringWriter log = new StringWriter();
        RenewalAgent agent = new RenewalAgent(List.of(new RenewalAgent.Watch(pair, List.of())),
                new SelfRenewal(URI.create("https://127.0.0.1:" + closed), work.resolve("ca.crt"), Duration.ofSeconds(5),
                        new SecureRandom()),
                time.clock, scripted(), time.sleeper, RenewalAgent.Timing.DEFAULT, new PrintWriter(log, true));
        Thread thread = new Thread(() -> {
            try {
                agent.run();
            } catch (InterruptedException stopped) {
                // the test ends the agent
            }
        });
        thread.start();
        List<Long> sleeps = new ArrayList<>();
        try {
            for (int i = 0; i < 9; i++) {
                sleeps.add(time.nextSleep().toSeconds());
                time.go.release();
            }
        } finally {
            thread.interrupt();
            thread.join(30_000);
        }
        assertThat(sleeps).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 320L, 600L, 600L);
        assertThat(Files.readString(work.resolve("carol.crt"))).isEqualTo(before);
        assertThat(log.toString()).contains("is unreachable", "retrying");
    }

    @Test
    void oneShotRenewReplacesThePairAndTheOnceModeLeavesAPairThatIsNotDue() throws Exception {
        ok("generate", "--cn", "dave.example.internal", "--profile", "user", "--name", "dave");
        BigInteger first = cert("dave.crt").getSerialNumber();
        String[] ra = {"--ra", stack.raUrl(), "--cert", "dave.crt", "--key", "dave.key", "--cacert", "ca.crt"};
        CliRun.Result once = ok(concat(new String[] {"agent", "--once"}, ra));
        assertThat(cert("dave.crt").getSerialNumber()).as("not due: untouched").isEqualTo(first);
        assertThat(once.err()).doesNotContain("renewed");
        CliRun.Result renew = ok(concat(new String[] {"renew"}, ra));
        assertThat(renew.err()).contains("renewed " + work.resolve("dave.crt"));
        BigInteger second = cert("dave.crt").getSerialNumber();
        assertThat(second).isNotEqualTo(first);
        // The RA revoked the old certificate as superseded: it can no longer renew anything.
        CliRun.Result listed = ok("list", "--cn", "dave.example.internal", "--json");
        assertThat(listed.out()).contains("\"revoked\"", "\"valid\"");
        if (nginx != null) {
            assertThat(nginxSays("dave.crt", "dave.key")).isEqualTo(accepted(second));
        }
    }

    @Test
    void listExpiringShowsOnlyValidCertificatesThatExpireWithinTheWindow() {
        CliRun.Result soon = ok("list", "--expiring", "31d", "--cn", "alice.example.internal");
        assertThat(soon.out()).contains("alice.example.internal").contains("1 certificate");
        CliRun.Result none = ok("list", "--expiring", "7d", "--cn", "alice.example.internal");
        assertThat(none.out()).doesNotContain("alice.example.internal").contains("0 certificates");
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The schedule as the test expects it, for a given jitter fraction. */
    static final class RenewalScheduleView {
        static Instant dueFor(X509Certificate c, double fraction) {
            return io.upki.cli.renewal.RenewalSchedule.due(c, scripted(fraction));
        }
    }
}
