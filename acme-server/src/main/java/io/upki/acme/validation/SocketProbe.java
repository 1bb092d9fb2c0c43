package io.upki.acme.validation;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * Tries a challenge's permitted addresses in turn, all within one {@link Deadline}, until one of them
 * answers: the connection handling that http-01 and tls-alpn-01 share.
 */
final class SocketProbe {
    /** What is done over one connected socket; an {@link IOException} moves on to the next address. */
    interface Exchange<T> {
        T over(Socket socket) throws IOException, AcmeProblem;
    }

    private SocketProbe() {
    }

    /**
     * The first answer an address gives, or a connection problem that starts with {@code failure} and
     * names the port and the last address's failure.
     */
    static <T> T first(List<InetAddress> addresses, int port, Deadline deadline, String failure, Exchange<T> exchange)
            throws AcmeProblem {
        IOException last = null;
        for (InetAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), deadline.remainingMillis());
                return exchange.over(socket);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new AcmeProblem(AcmeError.CONNECTION, failure + " port " + port + ": "
                + (last == null ? "no address" : last.getClass().getSimpleName()));
    }
}
