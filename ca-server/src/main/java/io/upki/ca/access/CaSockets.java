package io.upki.ca.access;

import io.upki.pki.caclient.CurveKeys;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeromq.ZMQ;

/** The CA's ZeroMQ sockets: each bound by the thread that owns it, as a CURVE server (RFC 26) when the CA has CURVE keys. */
public final class CaSockets {
    private CaSockets() {
    }

    /**
     * Makes {@code socket} a CURVE server whose handshakes the ZAP handler judges for {@code zapDomain}
     * (when {@code curve} is not null), then binds it to {@code endpoint}; port 0 or {@code *} picks a
     * free port.
     *
     * @return the port bound
     */
    public static int bind(ZMQ.Socket socket, CurveKeys curve, String zapDomain, String endpoint) {
        if (curve != null) {
            socket.setZapDomain(zapDomain);
            socket.setCurveServer(true);
            socket.setCurvePublicKey(curve.publicBytes());
            socket.setCurveSecretKey(curve.secretBytes());
        }
        if (endpoint.endsWith(":0") || endpoint.endsWith(":*")) {
            return socket.bindToRandomPort(endpoint.substring(0, endpoint.lastIndexOf(':')));
        }
        socket.bind(endpoint);
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /**
     * Waits (10 s at most) for a socket's thread to complete {@code bound}; its failure is an
     * IllegalStateException {@code failure: cause}, and so is an interrupt or the wait running out.
     */
    public static <T> T awaitBound(CompletableFuture<T> bound, String failure, String timedOut) {
        try {
            return bound.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(failure + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(failure + ": interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(timedOut, e);
        }
    }
}
