package io.upki.acme.validation;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server for one connection that reads the request, then writes its answer a byte at a time,
 * and records how much of the answer went out before the client hung up.
 */
final class TricklingServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;
    private final AtomicInteger sent = new AtomicInteger();

    /** Starts serving: {@code prefix} at once (a header announcing what follows), then {@code answer} one byte every {@code pauseMillis}. */
    TricklingServer(byte[] prefix, byte[] answer, long pauseMillis) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().read(new byte[4096]);
                OutputStream out = s.getOutputStream();
                out.write(prefix);
                for (byte b : answer) {
                    out.flush();
                    Thread.sleep(pauseMillis);
                    out.write(b);
                    out.flush();
                    sent.incrementAndGet();
                }
            } catch (IOException | InterruptedException e) {
                // a write failed: the client hung up (or the test closed the server)
            }
        }, "trickling-server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /**
     * Waits for the serving thread to end and says how many bytes of the answer went out: fewer than all
     * of them only when the client hung up before the end.
     */
    int sentBeforeHangUp() throws InterruptedException {
        thread.join();
        return sent.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
