package io.upki.pki.crlfeed;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.pki.crl.CrlAcceptor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A push channel that stays open but carries nothing (a publisher that dropped this subscriber without
 * closing its connection, seen in the 2026-12-07 revocation bench) is abandoned and dialled again, so
 * the holder does not silently fall back to its 30 s poll.
 */
class CrlPushListenerSilenceTest {

    @Test
    void silentChannelIsDroppedAndDialledAgain() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<Long> connections = new LinkedBlockingQueue<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        held.add(s);
                        connections.add(System.nanoTime());
                        answerThenFallSilent(s);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            URI events = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/events");
            Clock clock = Clock.systemUTC();
            CrlState state = new CrlState(new CrlAcceptor(List.of(), clock, Duration.ZERO), clock, List.of(), () -> { });
            PublisherWatch watch = new PublisherWatch(clock, List.of(events));
            try (CrlSources sources = new CrlSources(state, List.of(), Duration.ofMinutes(30));
                    CrlPushListener listener = new CrlPushListener(events, sources, watch)) {
                listener.start();
                Long first = connections.poll(20, TimeUnit.SECONDS);
                assertThat(first).as("the listener connects").isNotNull();
                Long second = connections.poll(20, TimeUnit.SECONDS);
                assertThat(second).as("a silent channel is dialled again").isNotNull();
                assertThat(Duration.ofNanos(second - first))
                        .as("not before the publisher's silence allowance has passed")
                        .isGreaterThanOrEqualTo(PublisherWatch.SILENCE);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** Answers the SSE request with headers and one comment, then never writes or closes again. */
    private static void answerThenFallSilent(Socket s) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            // request line and headers
        }
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n: hello\n\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
