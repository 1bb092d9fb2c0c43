package io.upki.ca.access;

import io.upki.pki.caclient.CurveKeys;
import org.zeromq.ZMQ;

/** Binds one of the CA's listening sockets, as a CURVE server (RFC 26) when the CA has CURVE keys. */
public final class CurveServerSocket {
    private CurveServerSocket() {
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
}
