package io.upki.pki.options;

import io.upki.pki.ops.OpsServer;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/**
 * {@code --ops-listen host:port}, the plain-HTTP operations listener ({@link OpsServer}); its variable
 * is the process's own ({@code UPKI_CA_OPS_LISTEN}, {@code UPKI_RA_OPS_LISTEN}, ...), given by its
 * {@link EnvDefaults}.
 */
public final class OpsListenOptions {
    public static final String NAME = "--ops-listen";

    @Option(names = NAME, paramLabel = "HOST:PORT",
            description = "host:port of a plain-HTTP operations listener (/health, /ready, /metrics) for probes and "
                    + "Prometheus (apart from the process's own listener); off unless given. Bind it to loopback or a "
                    + "monitoring network.")
    String opsListen;

    /** The value as given, or null. */
    public String given() {
        return opsListen == null || opsListen.isBlank() ? null : opsListen.strip();
    }

    /** The validated address, or null when off. @throws IllegalArgumentException for a malformed one */
    public InetSocketAddress address() {
        return OpsServer.address(NAME, opsListen);
    }

    /**
     * Starts the listener with {@code starter} when one is asked for, closing {@code service} and naming
     * the address when it cannot bind; {@link OpsServer#bind}.
     */
    public void bind(AutoCloseable service, OpsServer.Starter starter) {
        if (given() != null) {
            OpsServer.bind(service, NAME, opsListen, starter);
        }
    }
}
