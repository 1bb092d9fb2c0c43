package io.upki.ra;

import io.upki.ca.testing.TestCa;
import java.nio.file.Path;

/**
 * ra-core's {@link RaStack} (a real CA, crl-publisher and ra-core in direct mode on loopback) opened to
 * upki-cli's tests, which live in another package; RaStack itself stays package-private in ra-core.
 */
public final class CliRaStack implements AutoCloseable {
    private final RaStack stack;

    public CliRaStack(Path dir) throws Exception {
        stack = new RaStack(dir);
        stack.startRa(RaConfig.Mode.DIRECT);
    }

    public int caPort() {
        return stack.caPort;
    }

    public String raUrl() {
        return "https://127.0.0.1:" + stack.ra.port();
    }

    public TestCa ca() {
        return stack.ca;
    }

    @Override
    public void close() {
        stack.close();
    }
}
