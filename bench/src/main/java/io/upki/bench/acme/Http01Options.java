package io.upki.bench.acme;

import java.io.IOException;
import picocli.CommandLine.Option;

/** The http-01 side of a bench ACME client: the loopback port its {@link Http01Responder} answers on. */
final class Http01Options {
    @Option(names = "--http-port", required = true, description = "Port to answer http-01 on (127.0.0.1).")
    int httpPort;

    /** Starts the responder on that port. */
    Http01Responder start(int backlog, int threads) throws IOException {
        return Http01Responder.start(httpPort, backlog, threads);
    }
}
