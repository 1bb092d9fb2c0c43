package io.upki.pki.options;

import io.upki.pki.process.ProcessRunner;
import picocli.CommandLine.Option;

/**
 * {@code --listen host:port}, the address a process serves on; its variable and default are the
 * process's own (an {@link EnvDefaults} entry such as {@code UPKI_SIDECAR_LISTEN:-127.0.0.1:8080}).
 */
public final class ListenOptions {
    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "host:port to serve on (default ${DEFAULT-VALUE}).")
    String listen;

    /** The validated address. @throws IllegalArgumentException naming {@code listen} for a malformed one */
    public ProcessRunner.HostPort address() {
        return ProcessRunner.hostPort("listen", listen);
    }
}
