package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19 item 5 as a new user meets it: the CA process is killed (-9) under a running stack; while it is
 * down, CA-backed requests through the edge answer 503 at once (ra-core's circuit breaker) instead of after
 * the CA timeout; {@code bin/upki up} starts only the CA again; ra-core recovers by itself, and
 * {@code bin/upki restart ra-core} replaces that one process.
 */
class StackHealsTest {
    /** A generous functional bound for a fast 503 (the breaker answers without the CA; the timeout is 5 s). */
    private static final Duration FAST = Duration.ofSeconds(1);

    @RegisterExtension
    static final LocalStack stack = LocalStack.forClass();
    @TempDir
    static Path operator;

    @Test
    void aKilledCaAnswers503AtOnceComesBackWithUpAndTheRaRecoversByItself() throws Exception {
        Command gen = Command.run(operator, stack.env(), Duration.ofMinutes(1), stack.root.resolve("bin/upki-cli").toString(),
                "generate", "--host", "127.0.0.1", "--cn", "admin.example.internal", "--profile", "admin");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        MtlsClient admin = MtlsClient.in(operator, "admin");
        String certificates = "https://127.0.0.1:" + stack.raPort + "/api/v1/certificates?limit=5";
        assertThat(admin.get(certificates).statusCode()).isEqualTo(200);
        long raPid = pid("ra-core");
        long caPid = pid("ca-server");

        Command up = stack.upki("up", "--home", stack.home.toString());
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.stdout()).contains("everything is already running");

        ProcessHandle.of(caPid).orElseThrow().destroyForcibly();
        ProcessHandle.of(caPid).orElseThrow().onExit().get();
        // The first request finds the CA silent (up to the RA's CA timeout) and opens the circuit ...
        HttpResponse<String> first = admin.get(certificates);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
        // ... and from then on every CA-backed request is refused at once.
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = admin.get(certificates);
            millis.add((System.nanoTime() - start) / 1_000_000);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.body()).contains("CA is unavailable");
        }
        millis.sort(null);
        System.out.printf("StackHealsTest: CA down, 503 through nginx -> sidecar -> ra-core: median %d ms, max %d ms "
                + "(20 requests)%n", millis.get(millis.size() / 2), millis.get(millis.size() - 1));
        assertThat(millis.get(millis.size() - 1)).isLessThan(FAST.toMillis());

        Command status = stack.upki("status", "--home", stack.home.toString());
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(3);
        assertThat(status.stdout()).containsPattern("ca-server\\s+-\\s+\\S+\\s+stopped");

        Command heal = stack.upki("up", "--home", stack.home.toString());
        assertThat(heal.exitCode()).as(heal + stack.logs()).isZero();
        assertThat(heal.stdout()).contains("ra-core is running", "started ca-server");
        assertThat(pid("ca-server")).isNotEqualTo(caPid);
        assertThat(pid("ra-core")).as("ra-core was left running").isEqualTo(raPid);

        // ra-core's probe finds the CA again within seconds: no restart of ra-core needed.
        int code = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && (code = admin.get(certificates).statusCode()) != 200) {
            Thread.sleep(200);
        }
        assertThat(code).isEqualTo(200);
        assertThat(admin.get("https://127.0.0.1:" + stack.raPort + "/api/v1/health").body()).contains("\"role\":\"admin\"");
        assertThat(stack.upki("status", "--home", stack.home.toString()).exitCode()).isZero();

        Command restart = stack.upki("restart", "ra-core", "--home", stack.home.toString());
        assertThat(restart.exitCode()).as(restart + stack.logs()).isZero();
        assertThat(restart.stdout()).contains("stopped ra-core", "started ra-core");
        assertThat(pid("ra-core")).isNotEqualTo(raPid);
        assertThat(admin.get(certificates).statusCode()).isEqualTo(200);
    }

    @Test
    void restartRefusesAnUnknownProcess() throws Exception {
        Command bad = stack.upki("restart", "postgres", "--home", stack.home.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("restart needs a process name");
    }

    private static long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(stack.home.resolve("run/" + name + ".pid")).trim().split("\\s+")[0]);
    }
}
