package io.upki.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** http-01 against real sockets on loopback: a right answer passes, a trickling server is cut off at the time limit. */
class Http01ValidatorTest {
    private static final Resolver LOOPBACK = new LoopbackResolver();

    /** Serves one connection on a thread, writing {@code answer} one byte every {@code pauseMillis}. */
    private static ServerSocket serve(String answer, long pauseMillis) throws Exception {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().read(new byte[4096]);
                OutputStream out = s.getOutputStream();
                for (byte b : answer.getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(pauseMillis);
                }
            } catch (Exception e) {
                // the validator hung up: expected in the trickle test
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
    }

    @Test
    void theRightKeyAuthorizationPasses() throws Exception {
        try (ServerSocket server = serve(ok("token.thumb"), 0)) {
            new Http01Validator(LOOPBACK, NetworkPolicy.parse("127.0.0.0/8"), server.getLocalPort(), Duration.ofSeconds(2))
                    .validate(new Identifier("dns", "www.example.test"), "token", "token.thumb");
        }
    }

    @Test
    @Timeout(30)
    void aServerThatTricklesItsAnswerIsCutOffAtTheTimeLimit() throws Exception {
        // Each byte comes well within the per-read time, but the whole answer would take 10 s.
        try (ServerSocket server = serve(ok("token.thumb" + " ".repeat(40)), 100)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> new Http01Validator(LOOPBACK, NetworkPolicy.parse("127.0.0.0/8"), server.getLocalPort(), Duration.ofSeconds(1))
                    .validate(new Identifier("dns", "www.example.test"), "token", "token.thumb"))
                    .isInstanceOf(AcmeProblem.class);
            // Cut off well before the 10 s the whole answer takes (the limit is 1 s; a loaded machine
            // stretches it, so the bound only has to tell "cut off" from "read to the end").
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(6_000);
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
