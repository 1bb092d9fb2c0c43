package io.upki.ca.ops;

import java.net.InetSocketAddress;

/** Parses {@code --ops-listen}: {@code host:port} or {@code [v6]:port}; port 0 picks a free one. */
public final class OpsAddress {
    private OpsAddress() {
    }

    /** @throws IllegalArgumentException naming the option and what is wrong */
    public static InetSocketAddress parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("--ops-listen: '" + text + "' is not host:port (e.g. 127.0.0.1:5080)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ops-listen: '" + text + "' has no numeric port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--ops-listen: port " + port + " is not a TCP port");
        }
        return new InetSocketAddress(host, port);
    }
}
