package io.upki.pki.caclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The breaker over a scripted CA: silence opens it, answers of any kind close it, refusals leave it alone. */
class CircuitBreakingCaClientTest {

    /** A CA that is up (answers "pem"), down (silent), or refusing; counts the calls that reach it. */
    static final class ScriptedCa implements CaClient {
        volatile String mode = "up";
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean closed;

        @Override
        public JsonNode call(CaTask task, ObjectNode params) {
            calls.incrementAndGet();
            return switch (mode) {
                case "down" -> throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null, "no answer within 5000 ms");
                case "refusing" -> throw new CaClientException(CaClientException.Kind.REJECTED, CaErrorCode.PERMISSION, "not allowed");
                default -> TextNode.valueOf("pem");
            };
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final ScriptedCa ca = new ScriptedCa();

    @Test
    void aSilentCaOpensTheCircuitAndLaterCallsFailWithoutReachingIt() {
        try (CircuitBreakingCaClient breaker = new CircuitBreakingCaClient(ca, Clock.systemUTC(), Duration.ofHours(1))) {
            ca.mode = "down";
            assertThatThrownBy(breaker::getCaPem).isInstanceOf(CaClientException.class)
                    .hasMessageContaining("no answer within 5000 ms");
            assertThat(breaker.isOpen()).isTrue();
            int reached = ca.calls.get();
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> breaker.sign("csr", "server"))
                        .isInstanceOfSatisfying(CaClientException.class,
                                e -> assertThat(e.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE))
                        .hasMessageContaining("the CA is down");
            }
            assertThat(ca.calls.get()).isEqualTo(reached);
        }
    }

    @Test
    void theProbeClosesTheCircuitOnceTheCaAnswersAgain() throws Exception {
        try (CircuitBreakingCaClient breaker = new CircuitBreakingCaClient(ca, Clock.systemUTC(), Duration.ofMillis(20))) {
            ca.mode = "down";
            assertThatThrownBy(breaker::getCaPem).isInstanceOf(CaClientException.class);
            Thread.sleep(100);
            assertThat(breaker.isOpen()).as("still silent: still open").isTrue();
            ca.mode = "up";
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (breaker.isOpen() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(breaker.isOpen()).isFalse();
            assertThat(breaker.getCaPem()).isEqualTo("pem");
        }
    }

    @Test
    void aRefusalFromTheProbeAlsoProvesTheCaIsBack() throws Exception {
        try (CircuitBreakingCaClient breaker = new CircuitBreakingCaClient(ca, Clock.systemUTC(), Duration.ofMillis(20))) {
            ca.mode = "down";
            assertThatThrownBy(breaker::getCaPem).isInstanceOf(CaClientException.class);
            ca.mode = "refusing";
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (breaker.isOpen() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(breaker.isOpen()).isFalse();
        }
    }

    @Test
    void aRefusedTaskDoesNotOpenTheCircuit() {
        try (CircuitBreakingCaClient breaker = new CircuitBreakingCaClient(ca, Clock.systemUTC(), Duration.ofHours(1))) {
            ca.mode = "refusing";
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(breaker::getCaPem).isInstanceOfSatisfying(CaClientException.class,
                        e -> assertThat(e.kind()).isEqualTo(CaClientException.Kind.REJECTED));
            }
            assertThat(breaker.isOpen()).isFalse();
            assertThat(ca.calls.get()).isEqualTo(3);
        }
    }

    @Test
    void closingStopsTheProbeAndClosesTheCaClient() throws Exception {
        CircuitBreakingCaClient breaker = new CircuitBreakingCaClient(ca, Clock.systemUTC(), Duration.ofMillis(10));
        ca.mode = "down";
        assertThatThrownBy(breaker::getCaPem).isInstanceOf(CaClientException.class);
        breaker.close();
        assertThat(ca.closed).isTrue();
        Thread.sleep(50);
        int after = ca.calls.get();
        Thread.sleep(100);
        assertThat(ca.calls.get()).as("no probe after close").isEqualTo(after);
    }

    @Test
    void aNonPositiveProbeIntervalIsRefused() {
        assertThatThrownBy(() -> new CircuitBreakingCaClient(ca, Clock.systemUTC(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
