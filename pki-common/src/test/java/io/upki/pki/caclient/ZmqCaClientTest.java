package io.upki.pki.caclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lazy-pirate CA client against a scripted CA on a real ZeroMQ socket (CA-PROTOCOL.md section 1). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ZmqCaClientTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /**
     * Reply timeout for calls meant to time out. Long enough that a fresh socket whose handshake stalls
     * (see {@link CaSocketSecurity#handshakeMillis}) still delivers its request within one attempt.
     */
    private static final Duration SHORT = Duration.ofMillis(600);
    private static final Duration GENEROUS = Duration.ofSeconds(5);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private FakeCa ca(FakeCa.Handler handler) {
        FakeCa ca = new FakeCa(handler);
        resources.add(ca);
        return ca;
    }

    private ZmqCaClient client(String endpoint, Function<CaTask, Duration> timeouts, int retries) {
        ZmqCaClient client = new ZmqCaClient(endpoint, timeouts, retries, new WireCodec());
        resources.add(client);
        return client;
    }

    private ZmqCaClient client(FakeCa ca, Duration timeout, int retries) {
        return client(ca.endpoint(), task -> timeout, retries);
    }

    private static ObjectNode params(String key, String value) {
        return JSON.objectNode().put(key, value);
    }

    /** Answers with the request's "cn" parameter and the order in which the CA received it. */
    private static FakeCa.Reply echo(int sequence, io.upki.pki.wire.CaRequest request) {
        return FakeCa.Reply.answer(JSON.objectNode()
                .put("cn", request.params().path("cn").asText())
                .put("seq", sequence));
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    @Test
    void answerReturnsData() {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        FakeCa ca = ca((seq, request) -> request.task().equals("get_ca")
                ? FakeCa.Reply.answer(JSON.textNode(pem))
                : FakeCa.Reply.answer(JSON.objectNode().put("task", request.task())));
        ZmqCaClient client = client(ca, GENEROUS, 0);

        assertThat(client.getCaPem()).isEqualTo(pem);
        JsonNode data = client.call(CaTask.GET_PROFILE, params("profile", "server"));

        assertThat(data.path("task").asText()).isEqualTo("get_profile");
        assertThat(ca.received()).hasSize(2);
        assertThat(ca.received().get(0).task()).isEqualTo("get_ca");
        assertThat(ca.received().get(0).params()).isEmpty();
        assertThat(ca.received().get(1).params().path("profile").asText()).isEqualTo("server");
    }

    @Test
    void upkiErrorIsRejectedWithCodeAndMessage() {
        FakeCa ca = ca((seq, request) -> FakeCa.Reply.error("[300] Certificate not found: x"));
        ZmqCaClient client = client(ca, GENEROUS, 2);

        CaClientException e = catchThrowableOfType(CaClientException.class,
                () -> client.call(CaTask.VIEW, params("dn", "x")));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(CaClientException.Kind.REJECTED);
        assertThat(e.code()).isEqualTo(CaErrorCode.CERTIFICATE);
        assertThat(e.getMessage()).isEqualTo("[300] Certificate not found: x");
        assertThat(ca.received()).as("a rejection is an answer: no retry").hasSize(1);
    }

    @Test
    void uncodedErrorIsRejectedWithoutCode() {
        FakeCa ca = ca((seq, request) -> FakeCa.Reply.error("Invalid JSON: Unexpected character"));
        ZmqCaClient client = client(ca, GENEROUS, 0);

        CaClientException e = catchThrowableOfType(CaClientException.class, client::getCaPem);

        assertThat(e.kind()).isEqualTo(CaClientException.Kind.REJECTED);
        assertThat(e.code()).isNull();
        assertThat(e.getMessage()).isEqualTo("Invalid JSON: Unexpected character");
    }

    @Test
    void silentCaMakesIdempotentTaskUnavailableAfterEveryRetry() throws Exception {
        FakeCa ca = ca((seq, request) -> null);
        ZmqCaClient client = client(ca, SHORT, 2);
        long start = System.nanoTime();

        CaClientException e = catchThrowableOfType(CaClientException.class, client::getCaPem);

        long elapsed = millisSince(start);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE);
        assertThat(e.code()).isNull();
        assertThat(e.getMessage()).contains("get_ca").doesNotContain("may or may not");
        assertThat(elapsed).as("three attempts of 600 ms each").isBetween(1_500L, GENEROUS.toMillis());
        assertThat(ca.awaitReceived(3, Duration.ofSeconds(2))).isEqualTo(3);
        Thread.sleep(300);
        assertThat(ca.received()).as("retries + 1 sends, no more").hasSize(3)
                .allSatisfy(r -> assertThat(r.task()).isEqualTo("get_ca"));
    }

    @Test
    void silentCaMakesNonIdempotentTaskUnavailableAfterOneSend() throws Exception {
        FakeCa ca = ca((seq, request) -> null);
        ZmqCaClient client = client(ca, SHORT, 2);
        long start = System.nanoTime();

        CaClientException e = catchThrowableOfType(CaClientException.class,
                () -> client.revoke("gen-a1.example.com", "keyCompromise"));

        long elapsed = millisSince(start);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("revoke").contains("may or may not have been applied");
        assertThat(elapsed).isBetween(500L, GENEROUS.toMillis());
        assertThat(ca.awaitReceived(1, Duration.ofSeconds(2))).isEqualTo(1);
        Thread.sleep(500);
        assertThat(ca.received()).as("a revoke is never sent twice").hasSize(1);
    }

    @Test
    void lateReplyIsNeverTakenAsTheAnswerToTheNextRequest() throws Exception {
        // get_ca is answered after the client gave up on it; the next request is answered later still, so
        // the stale reply would reach the client first if the timed-out socket were reused.
        FakeCa ca = ca((seq, request) -> request.task().equals("get_ca")
                ? FakeCa.Reply.answer(JSON.textNode("LATE ANSWER TO GET_CA")).after(Duration.ofMillis(1_200))
                : echo(seq, request).after(request.params().path("cn").asText().startsWith("second")
                        ? Duration.ofMillis(1_000) : Duration.ZERO));
        ZmqCaClient client = client(ca.endpoint(), task -> task == CaTask.GET_CA ? SHORT : GENEROUS, 0);

        CaClientException first = catchThrowableOfType(CaClientException.class, client::getCaPem);
        assertThat(first.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE);

        JsonNode second = client.call(CaTask.GET_NODE, params("cn", "second.example.com"));
        JsonNode third = client.call(CaTask.GET_NODE, params("cn", "third.example.com"));

        assertThat(second.isObject()).as("answer to the second call: %s", second).isTrue();
        assertThat(second.path("cn").asText()).isEqualTo("second.example.com");
        assertThat(third.path("cn").asText()).isEqualTo("third.example.com");
        assertThat(ca.received()).extracting(r -> r.task()).containsExactly("get_ca", "get_node", "get_node");
    }

    @Test
    void clientRecoversWhenTheCaStartsAnsweringAgain() throws Exception {
        // The CA ignores requests for "lost" names and answers the others.
        FakeCa ca = ca((seq, request) ->
                request.params().path("cn").asText().startsWith("lost") ? null : echo(seq, request));
        ZmqCaClient client = client(ca, SHORT, 0);

        for (int i = 0; i < 2; i++) {
            CaClientException e = catchThrowableOfType(CaClientException.class,
                    () -> client.call(CaTask.GET_NODE, params("cn", "lost.example.com")));
            assertThat(e.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE);
        }

        JsonNode data = client.call(CaTask.GET_NODE, params("cn", "back.example.com"));

        assertThat(data.path("cn").asText()).isEqualTo("back.example.com");
    }

    @Test
    void idempotentRetryReturnsTheRetrysOwnAnswer() throws Exception {
        // The first request the CA sees is answered too late; every later one at once.
        FakeCa ca = ca((seq, request) -> seq == 1
                ? FakeCa.Reply.answer(JSON.textNode("LATE")).after(Duration.ofMillis(1_500))
                : echo(seq, request));
        ZmqCaClient client = client(ca, SHORT, 2);

        JsonNode data = client.call(CaTask.GET_NODE, params("cn", "retry.example.com"));

        assertThat(data.isObject()).as("the retry's answer, not the late one: %s", data).isTrue();
        assertThat(data.path("cn").asText()).isEqualTo("retry.example.com");
        assertThat(ca.received().size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void nothingListeningIsUnavailableWithinBoundedTime() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ZmqCaClient client = client("tcp://127.0.0.1:" + port, task -> SHORT, 1);
        long start = System.nanoTime();

        CaClientException idempotent = catchThrowableOfType(CaClientException.class, client::getCaPem);
        CaClientException once = catchThrowableOfType(CaClientException.class,
                () -> client.call(CaTask.GENERATE, params("cn", "x.example.com")));

        assertThat(idempotent.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE);
        assertThat(once.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE);
        assertThat(once.getMessage()).contains("may or may not have been applied");
        assertThat(millisSince(start)).isLessThan(GENEROUS.toMillis());
        long closing = System.nanoTime();
        client.close();
        assertThat(millisSince(closing)).isLessThan(GENEROUS.toMillis());
    }

    @Test
    void concurrentCallsEachGetTheirOwnAnswer() throws Exception {
        FakeCa ca = ca((seq, request) -> echo(seq, request).after(Duration.ofMillis(seq % 7 * 3)));
        ZmqCaClient client = client(ca, GENEROUS, 0);
        int threads = 8;
        int callsPerThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<String>> caller = () -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < callsPerThread; i++) {
                        String cn = "t" + thread + "-c" + i + ".example.com";
                        String got = client.call(CaTask.GET_NODE, params("cn", cn)).path("cn").asText();
                        if (!got.equals(cn)) {
                            wrong.add(cn + " got " + got);
                        }
                    }
                    return wrong;
                };
                results.add(pool.submit(caller));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get(20, TimeUnit.SECONDS)).as("mismatched answers").isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ca.received()).hasSize(threads * callsPerThread);
    }

    @Test
    void replyThatIsNotJsonIsAProtocolError() {
        FakeCa ca = ca((seq, request) -> seq == 1 ? FakeCa.Reply.raw("this is not json") : echo(seq, request));
        ZmqCaClient client = client(ca, GENEROUS, 2);

        CaClientException e = catchThrowableOfType(CaClientException.class,
                () -> client.call(CaTask.GET_NODE, params("cn", "a.example.com")));

        assertThat(e.kind()).isEqualTo(CaClientException.Kind.PROTOCOL);
        assertThat(e.code()).isNull();
        assertThat(e.getMessage()).contains("invalid reply").contains("get_node");
        assertThat(ca.received()).as("an invalid reply is not retried").hasSize(1);
        // The exchange completed, so the client stays usable.
        assertThat(client.call(CaTask.GET_NODE, params("cn", "b.example.com")).path("cn").asText())
                .isEqualTo("b.example.com");
    }

    @Test
    void replyWithoutEnvelopeIsAProtocolError() {
        FakeCa ca = ca((seq, request) -> FakeCa.Reply.raw("{\"DATA\": true}"));
        ZmqCaClient client = client(ca, GENEROUS, 0);

        CaClientException e = catchThrowableOfType(CaClientException.class, client::getCaPem);

        assertThat(e.kind()).isEqualTo(CaClientException.Kind.PROTOCOL);
    }

    @Test
    void closedClientRefusesCalls() {
        FakeCa ca = ca(ZmqCaClientTest::echo);
        ZmqCaClient client = client(ca, GENEROUS, 0);
        client.call(CaTask.GET_NODE, params("cn", "a.example.com"));

        client.close();

        CaClientException e = catchThrowableOfType(CaClientException.class, client::getCaPem);
        assertThat(e.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("closed");
    }

    @Test
    void negativeRetriesAreRefused() {
        assertThatThrownBy(() -> new ZmqCaClient("tcp://127.0.0.1:5000", CaTask::defaultTimeout, -1, new WireCodec()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
