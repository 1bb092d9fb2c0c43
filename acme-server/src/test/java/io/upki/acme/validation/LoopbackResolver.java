package io.upki.acme.validation;

import java.net.InetAddress;
import java.util.List;

/** Resolves every name to the loopback address and has no TXT records: validators against local test servers. */
final class LoopbackResolver implements Resolver {
    @Override
    public List<InetAddress> addresses(String host) {
        return List.of(InetAddress.getLoopbackAddress());
    }

    @Override
    public List<String> txt(String name) {
        return List.of();
    }
}
