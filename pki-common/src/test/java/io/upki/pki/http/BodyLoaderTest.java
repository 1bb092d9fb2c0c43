package io.upki.pki.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link BodyLoader} through a real Jetty on loopback: bodies that fit, and the refusal of those that do not. */
class BodyLoaderTest {
    private static final int MAX_BODY = 1000;
    private static Javalin app;

    @BeforeAll
    static void start() {
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            HttpServers.loadBodies(c, MAX_BODY);
            c.jetty.addConnector((server, http) -> HttpServers.plain(server, http, "127.0.0.1", 0));
            c.routes.post("/echo", ctx -> ctx.result("got " + ctx.bodyAsBytes().length));
        }).start();
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    @Test
    void aBodyThatFitsReachesTheApplication() throws Exception {
        assertThat(post(MAX_BODY, MAX_BODY)).startsWith("HTTP/1.1 200").endsWith("got " + MAX_BODY);
    }

    @Test
    void anOversizedBodyIsReadToItsEndAndRefusedWith413AndItsReason() throws Exception {
        // The whole body is sent before the answer is read: the answer must still arrive, not a reset.
        String answer = post(70_000, 70_000);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("\"reason\":\"body_too_large\"")
                .contains("over " + MAX_BODY + " bytes");
    }

    @Test
    void aBodyAnnouncedBeyondTheDrainLimitIsRefusedBeforeItIsSent() throws Exception {
        String answer = post(MAX_BODY + BodyLoader.DRAIN_BYTES + 1, 0);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("\"reason\":\"body_too_large\"");
    }

    /** Announces {@code length} bytes, sends {@code sent} of them, then reads the whole answer. */
    private static String post(int length, int sent) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[4096];
            java.util.Arrays.fill(chunk, (byte) 'A');
            for (int done = 0; done < sent; done += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, sent - done));
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
