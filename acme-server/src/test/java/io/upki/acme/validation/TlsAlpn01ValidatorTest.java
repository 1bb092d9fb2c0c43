package io.upki.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** tls-alpn-01 against a real socket on loopback: a server that trickles its handshake is cut off at the time limit. */
class TlsAlpn01ValidatorTest {
    private static final Resolver LOOPBACK = new LoopbackResolver();

    @Test
    @Timeout(30)
    void aServerThatTricklesItsHandshakeIsCutOffAtTheTimeLimit() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    // A TLS handshake record announcing 16 KiB, then one byte every 100 ms: every read
                    // finishes well within its own timeout, the whole record would take 27 minutes.
                    out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
                    for (int i = 0; i < 16_384; i++) {
                        out.write(0x02);
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // the validator hung up: expected
                }
            });
            t.setDaemon(true);
            t.start();
            long started = System.nanoTime();
            assertThatThrownBy(() -> new TlsAlpn01Validator(LOOPBACK, NetworkPolicy.parse("127.0.0.0/8"), server.getLocalPort(), Duration.ofSeconds(1),
                    new SecureRandom()).validate(new Identifier("dns", "www.example.test"), "token", "token.thumb"))
                    .isInstanceOf(AcmeProblem.class);
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
        }
    }
}
