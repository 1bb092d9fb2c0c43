package io.upki.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Finds runs of consecutive free loopback ports for the bench scripts, which start servers on P, P+1, ... */
final class LoopbackPorts {
    private static final int ATTEMPTS = 200;

    private LoopbackPorts() {
    }

    /**
     * A port P such that P .. P+count-1 could all be bound on loopback just now (each is bound and released
     * once, so a script may still lose one to a race; it then fails to start and says so).
     *
     * @throws IOException when no such run turned up in {@value #ATTEMPTS} tries
     */
    static int freeRun(int count) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket first = new ServerSocket(0, 1, loopback)) {
                port = first.getLocalPort();
            }
            if (port + count > 65536) {
                continue;
            }
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    held.add(new ServerSocket(port + i, 1, loopback));
                }
                return port;
            } catch (IOException taken) {
                // another program holds one of them: try another run
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new IOException("no " + count + " consecutive free ports found");
    }
}
