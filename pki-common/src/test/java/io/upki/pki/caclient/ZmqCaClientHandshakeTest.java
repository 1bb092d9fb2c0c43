package io.upki.pki.caclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * New connections must deliver their request: jeromq stalls a few percent of new handshakes
 * (zeromq/jeromq#1022) until its handshake timer reconnects, which must cost a short delay, not the call.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZmqCaClientHandshakeTest {

    @Test
    void freshConnectionsDeliverTheirFirstRequest() throws Exception {
        // Long enough that a loaded machine's scheduling delays are no loss: a stalled handshake that is
        // never reconnected still costs the whole call, which is what this test catches.
        Duration timeout = Duration.ofSeconds(2);
        int calls = 120;
        int failures = 0;
        FakeCa.Handler yes = (seq, request) -> FakeCa.Reply.answer(JsonNodeFactory.instance.booleanNode(true));
        try (FakeCa ca = new FakeCa(yes)) {
            for (int i = 0; i < calls; i++) {
                // A new client per call, so each call's request goes out on a new connection.
                try (ZmqCaClient client = new ZmqCaClient(ca.endpoint(), task -> timeout, 0, new WireCodec())) {
                    client.revoke("fresh-" + i + ".example.com", "superseded");
                } catch (CaClientException e) {
                    failures++;
                }
            }
            assertThat(failures).as("revokes lost on fresh connections (before the fix: about 1 in 75)").isZero();
            assertThat(ca.received()).hasSize(calls);
        }
    }

    @Test
    void handshakeTimerStaysWellInsideTheReplyTimeout() {
        assertThat(CaSocketSecurity.handshakeMillis(Duration.ofMillis(100))).isEqualTo(100);
        assertThat(CaSocketSecurity.handshakeMillis(Duration.ofMillis(600))).isEqualTo(150);
        assertThat(CaSocketSecurity.handshakeMillis(CaTask.GET_CA.defaultTimeout())).isEqualTo(1_000);
        assertThat(CaSocketSecurity.handshakeMillis(CaTask.GENERATE.defaultTimeout())).isEqualTo(1_000);
    }

    @Test
    void aCurveHandshakeGetsMoreTimeButStaysInsideTheReplyTimeout() {
        assertThat(CaSocketSecurity.curveHandshakeMillis(Duration.ofMillis(600))).isEqualTo(300);
        assertThat(CaSocketSecurity.curveHandshakeMillis(CaTask.GET_CA.defaultTimeout())).isEqualTo(2_500);
        assertThat(CaSocketSecurity.curveHandshakeMillis(CaTask.GENERATE.defaultTimeout())).isEqualTo(5_000);
        assertThat(CaSocketSecurity.curveHandshakeMillis(Duration.ofMillis(100))).isEqualTo(100);
    }
}
