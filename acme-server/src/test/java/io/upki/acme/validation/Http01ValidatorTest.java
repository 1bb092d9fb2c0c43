package io.upki.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** http-01 against real sockets on loopback: a right answer passes, a trickling server is cut off at the time limit. */
class Http01ValidatorTest {
    private static final Resolver LOOPBACK = new LoopbackResolver();

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
    }

    @Test
    void theRightKeyAuthorizationPasses() throws Exception {
        try (TricklingServer server = new TricklingServer(new byte[0], ok("token.thumb").getBytes(StandardCharsets.US_ASCII), 0)) {
            new Http01Validator(LOOPBACK, NetworkPolicy.parse("127.0.0.0/8"), server.port(), Duration.ofSeconds(2))
                    .validate(new Identifier("dns", "www.example.test"), "token", "token.thumb");
        }
    }

    @Test
    @Timeout(30)
    void aServerThatTricklesItsAnswerIsCutOffAtTheTimeLimit() throws Exception {
        // A right answer, one byte every 20 ms. The validator's time runs on a ticker that is 100 ms later
        // at each look (one per read), so its 1 s limit is reached after a few reads however loaded the
        // machine is: the answer is cut off there instead of being read to the end.
        byte[] answer = ok("token.thumb" + " ".repeat(40)).getBytes(StandardCharsets.US_ASCII);
        AtomicLong now = new AtomicLong();
        Deadline.Ticker tenthOfASecondALook = () -> now.addAndGet(100_000_000L);
        try (TricklingServer server = new TricklingServer(new byte[0], answer, 20)) {
            assertThatThrownBy(() -> new Http01Validator(LOOPBACK, NetworkPolicy.parse("127.0.0.0/8"), server.port(),
                    Duration.ofSeconds(1), tenthOfASecondALook).validate(new Identifier("dns", "www.example.test"), "token", "token.thumb"))
                    .isInstanceOfSatisfying(AcmeProblem.class, p -> {
                        assertThat(p.type()).isEqualTo(AcmeError.CONNECTION);
                        assertThat(p.getMessage()).contains("SocketTimeoutException");
                    });
            assertThat(server.sentBeforeHangUp()).as("bytes of the answer sent before the validator hung up")
                    .isLessThan(answer.length);
        }
    }

    @Test
    void addressesThePolicyRefusesAreNeverConnectedToAndTheProblemNamesNoPort() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            String port = Integer.toString(server.getLocalPort());
            // Every name resolves to 127.0.0.1 here; the default policy allows public addresses only.
            for (Identifier id : java.util.List.of(new Identifier("dns", "www.example.test"), new Identifier("ip", "127.0.0.1"))) {
                assertThatThrownBy(() -> new Http01Validator(LOOPBACK, NetworkPolicy.publicOnly(), server.getLocalPort(),
                        Duration.ofSeconds(2)).validate(id, "token", "token.thumb"))
                        .isInstanceOfSatisfying(AcmeProblem.class, p -> {
                            assertThat(p.type()).isEqualTo(io.upki.acme.problem.AcmeError.CONNECTION);
                            assertThat(p.document().toString()).contains("no address this server may validate")
                                    .doesNotContain(port).doesNotContain("port");
                        });
                assertThatThrownBy(() -> new TlsAlpn01Validator(LOOPBACK, NetworkPolicy.publicOnly(), server.getLocalPort(),
                        Duration.ofSeconds(2), new java.security.SecureRandom()).validate(id, "token", "token.thumb"))
                        .isInstanceOfSatisfying(AcmeProblem.class, p ->
                                assertThat(p.document().toString()).contains("no address this server may validate")
                                        .doesNotContain(port));
            }
            assertThatThrownBy(server::accept).as("no connection reached the loopback server")
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }
}
