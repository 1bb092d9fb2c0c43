package io.upki.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** tls-alpn-01 against a real socket on loopback: a server that trickles its handshake is cut off at the time limit. */
class TlsAlpn01ValidatorTest {
    private static final Resolver LOOPBACK = new LoopbackResolver();

    @Test
    @Timeout(30)
    void aServerThatTricklesItsHandshakeIsCutOffAtTheTimeLimit() throws Exception {
        // A TLS handshake record announcing 16 KiB, then one byte every 100 ms: every read finishes well
        // within its own timeout, the whole record would take 27 minutes.
        byte[] record = new byte[16_384];
        Arrays.fill(record, (byte) 0x02);
        try (TricklingServer server = new TricklingServer(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00}, record, 100)) {
            assertThatThrownBy(() -> new TlsAlpn01Validator(LOOPBACK, NetworkPolicy.parse("127.0.0.0/8"), server.port(), Duration.ofSeconds(1),
                    new SecureRandom()).validate(new Identifier("dns", "www.example.test"), "token", "token.thumb"))
                    .isInstanceOfSatisfying(AcmeProblem.class, p -> assertThat(p.type()).isEqualTo(AcmeError.CONNECTION));
            assertThat(server.sentBeforeHangUp()).as("bytes of the record sent before the validator hung up")
                    .isLessThan(record.length);
        }
    }
}
