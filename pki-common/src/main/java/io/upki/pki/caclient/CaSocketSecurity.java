package io.upki.pki.caclient;

import java.time.Duration;
import org.zeromq.ZMQ;

/**
 * The CURVE keys (or uPKI's plain protocol) and the handshake timer each REQ socket of a
 * {@link ZmqCaClient} is given.
 */
final class CaSocketSecurity {
    private final CurveKeys clientKeys;
    private final byte[] serverKey;

    private CaSocketSecurity(CurveKeys clientKeys, byte[] serverKey) {
        this.clientKeys = clientKeys;
        this.serverKey = serverKey;
    }

    /**
     * @param clientKeys this client's key pair; required with {@code serverPublicKey}
     * @param serverPublicKey the CA's public key (Z85), or null for uPKI's plain protocol
     */
    static CaSocketSecurity of(CurveKeys clientKeys, String serverPublicKey) {
        if (serverPublicKey != null && clientKeys == null) {
            throw new IllegalArgumentException("a CA public key needs a client key pair");
        }
        if (serverPublicKey == null) {
            return new CaSocketSecurity(null, null);
        }
        return new CaSocketSecurity(clientKeys,
                ZMQ.Curve.z85Decode(CurveKeys.checkKey(serverPublicKey, "CA public key")));
    }

    /** True when sockets authenticate with CURVE. */
    boolean curve() {
        return clientKeys != null;
    }

    /** The handshake timer for a reply timeout: {@link #curveHandshakeMillis} with CURVE. */
    int handshakeIvl(Duration timeout) {
        return curve() ? curveHandshakeMillis(timeout) : handshakeMillis(timeout);
    }

    /** Sets the handshake timer and, with CURVE, the keys on a socket that is not connected yet. */
    void configure(ZMQ.Socket socket, Duration timeout) {
        socket.setHandshakeIvl(handshakeIvl(timeout));
        if (curve()) {
            socket.setCurveServerKey(serverKey);
            socket.setCurvePublicKey(clientKeys.publicBytes());
            socket.setCurveSecretKey(clientKeys.secretBytes());
        }
    }

    /**
     * What to add to a "did not answer" message: a refused CURVE handshake looks like silence to a
     * client (RFC 26 section 2.5 gives no reason), so the likely causes are named.
     */
    String silenceHint() {
        return curve() ? " (CURVE: is the CA public key right, and is this client's key "
                + clientKeys.publicKey() + " known to the CA?)" : "";
    }

    /**
     * A connecting JeroMQ socket now and then completes TCP but never sends its ZMTP greeting (a selector
     * race in jeromq's I/O thread, zeromq/jeromq#1022) and idles until the handshake timer, 30 s by default,
     * reconnects it; the queued request then goes out on the new connection. Keeping that timer well inside
     * the reply timeout turns the stall into a short delay instead of a lost call.
     */
    static int handshakeMillis(Duration timeout) {
        return (int) Math.min(1000, Math.max(100, timeout.toMillis() / 4));
    }

    /**
     * The CURVE handshake adds Curve25519 operations on both sides (RFC 26 section 2.4), in pure Java
     * (jnacl): before the JIT has compiled them, on a loaded machine, it was seen to take over a second.
     * A timer shorter than that would restart the handshake for ever, so CURVE gets up to half the reply
     * timeout (at most 5 s), never less than the plain protocol's timer.
     */
    static int curveHandshakeMillis(Duration timeout) {
        return (int) Math.max(handshakeMillis(timeout), Math.min(5000, timeout.toMillis() / 2));
    }
}
