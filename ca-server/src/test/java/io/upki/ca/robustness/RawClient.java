package io.upki.ca.robustness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Raw ZeroMQ REQ sockets for sending arbitrary frames, one socket per endpoint, reused while the peer
 * answers and replaced after a timeout (a REQ socket that missed its reply cannot send again).
 */
final class RawClient implements AutoCloseable {
    private final ZContext context = new ZContext(1);
    private final Map<String, ZMQ.Socket> sockets = new HashMap<>();

    /**
     * Sends {@code frames} as one message (all but the last with SNDMORE) and returns every frame of
     * the reply, or null when no reply came within {@code timeout}.
     */
    List<byte[]> exchange(String endpoint, List<byte[]> frames, Duration timeout) {
        ZMQ.Socket socket = sockets.computeIfAbsent(endpoint, this::open);
        socket.setReceiveTimeOut((int) timeout.toMillis());
        boolean sent = true;
        for (int i = 0; i < frames.size(); i++) {
            sent &= i < frames.size() - 1 ? socket.sendMore(frames.get(i)) : socket.send(frames.get(i), 0);
        }
        if (!sent) {
            reset(endpoint);
            return null;
        }
        byte[] first = socket.recv(0);
        if (first == null) {
            reset(endpoint);
            return null;
        }
        List<byte[]> reply = new ArrayList<>();
        reply.add(first);
        while (socket.hasReceiveMore()) {
            reply.add(socket.recv(0));
        }
        return reply;
    }

    /** Closes the endpoint's socket; the next exchange opens a fresh connection. */
    void reset(String endpoint) {
        ZMQ.Socket socket = sockets.remove(endpoint);
        if (socket != null) {
            socket.close();
        }
    }

    private ZMQ.Socket open(String endpoint) {
        ZMQ.Socket socket = context.createSocket(SocketType.REQ);
        socket.setLinger(0);
        socket.setSendTimeOut(5000);
        // jeromq#1022: a new connection can stall until the handshake timer (30 s by default) fires;
        // a short timer makes it reconnect at once, as ZmqCaClient does.
        socket.setHandshakeIvl(1000);
        socket.connect(endpoint);
        return socket;
    }

    @Override
    public void close() {
        sockets.values().forEach(ZMQ.Socket::close);
        sockets.clear();
        context.close();
    }
}
