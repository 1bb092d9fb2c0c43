package io.upki.acme.validation;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;
import org.xbill.DNS.io.DefaultIoClientFactory;
import org.xbill.DNS.io.IoClientFactory;
import org.xbill.DNS.io.TcpIoClient;
import org.xbill.DNS.io.UdpIoClient;

/**
 * dnsjava's UDP transport, run on the calling thread: a validation thread already waits for its DNS
 * answer, so sending and receiving there saves the two thread hand-offs of dnsjava's shared selector
 * thread (about half a millisecond per query on this class of machine). dnsjava still builds and checks
 * the messages and retries truncated answers over its own TCP client.
 */
final class CallerThreadUdp implements IoClientFactory, UdpIoClient {
    /** The ephemeral range dnsjava draws from too (RFC 6056 section 2.1). */
    private static final int FIRST_PORT = 1024;
    private static final int PORTS = 65535 - FIRST_PORT;
    private final SecureRandom random;
    private final TcpIoClient tcp = new DefaultIoClientFactory().createOrGetTcpClient();

    CallerThreadUdp(SecureRandom random) {
        this.random = random;
    }

    @Override
    public TcpIoClient createOrGetTcpClient() {
        return tcp;
    }

    @Override
    public UdpIoClient createOrGetUdpClient() {
        return this;
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceiveUdp(InetSocketAddress local, InetSocketAddress remote, Message query,
                                                       byte[] data, int max, Duration timeout) {
        Deadline deadline = Deadline.after(timeout, Deadline.Ticker.SYSTEM,
                () -> "no DNS answer from " + remote + " within " + timeout.toMillis() + " ms");
        try (DatagramSocket socket = bind(local)) {
            // Connected: the kernel drops datagrams from any other address and port (RFC 5452 section 9.1).
            socket.connect(remote);
            socket.send(new DatagramPacket(data, data.length));
            byte[] buffer = new byte[max];
            while (true) {
                socket.setSoTimeout(deadline.remainingMillis());
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                // Another query ID is not the answer to this query (a late or forged datagram): keep waiting.
                if (packet.getLength() >= 2 && ((buffer[0] & 0xff) << 8 | (buffer[1] & 0xff)) == query.getHeader().getID()) {
                    return CompletableFuture.completedFuture(Arrays.copyOf(buffer, packet.getLength()));
                }
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A socket on a random source port (RFC 5452 section 10), as dnsjava's own client does, unless the
     * resolver was given a local address with a port.
     */
    private DatagramSocket bind(InetSocketAddress local) throws IOException {
        if (local != null && local.getPort() != 0) {
            return new DatagramSocket(local);
        }
        for (int attempt = 0; attempt < 8; attempt++) {
            int port = FIRST_PORT + random.nextInt(PORTS);
            try {
                return new DatagramSocket(local == null ? new InetSocketAddress(port) : new InetSocketAddress(local.getAddress(), port));
            } catch (BindException taken) {
                // in use: draw another
            }
        }
        return local == null ? new DatagramSocket() : new DatagramSocket(new InetSocketAddress(local.getAddress(), 0));
    }
}
