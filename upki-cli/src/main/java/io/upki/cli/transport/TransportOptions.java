package io.upki.cli.transport;

import io.upki.cli.CliContext;
import io.upki.cli.CliException;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options that choose and reach the CA, shared by every command that talks to it: ZeroMQ with
 * {@code --host/--port} (the default), or HTTPS to the RA with {@code --ra} and a client certificate.
 */
public final class TransportOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "CA host for ZeroMQ (env UPKI_CA_HOST; default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "5000", paramLabel = "PORT",
            description = "CA operations port (env UPKI_CA_PORT; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--ra", paramLabel = "URL",
            description = "go through the ra-core at this HTTPS URL instead of ZeroMQ (env UPKI_RA_URL)")
    String ra;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "with --ra: client certificate PEM, e.g. admin.crt (env UPKI_CLI_CERT)")
    String cert;

    @Option(names = "--key", paramLabel = "FILE",
            description = "with --ra: its private key PEM, e.g. admin.key (env UPKI_CLI_KEY)")
    String key;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "CA certificate that must sign the RA's certificate and the CRL (env UPKI_CLI_CACERT; default ca.crt)")
    String caCert;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "longest wait for one answer (env UPKI_CLI_TIMEOUT; default: 5 s for lookups, 30-60 s for signing)")
    Double timeout;

    /** The CA certificate file named by {@code --cacert} (or its default), resolved in the working directory. */
    public Path caCertFile(CliContext context) {
        return context.resolve(caCert == null ? "ca.crt" : caCert);
    }

    /** True when a CA certificate was named ({@code --cacert} or UPKI_CLI_CACERT), so it must exist. */
    public boolean caCertNamed() {
        return caCert != null;
    }

    /**
     * Opens the transport the options name.
     *
     * @throws CliException USAGE for a bad port, URL or timeout; LOCAL_FILE for unreadable PEM files
     */
    public Authority open(CliContext context) {
        if (timeout != null && (timeout <= 0 || timeout > 3600)) {
            throw CliException.usage("--timeout must be between 0 and 3600 seconds");
        }
        Duration fixed = timeout == null ? null : Duration.ofMillis((long) (timeout * 1000));
        WireCodec codec = new WireCodec();
        if (ra != null && !ra.isBlank()) {
            return openRa(context, fixed, codec);
        }
        if (port < 1 || port > 65535) {
            throw CliException.usage("--port " + port + " is not a TCP port");
        }
        if (host == null || host.isBlank()) {
            throw CliException.usage("--host must not be empty");
        }
        // One retry for lookups: a lost reply is then a short delay, and writes are never sent twice.
        ZmqCaClient client = new ZmqCaClient("tcp://" + host + ":" + port,
                task -> fixed == null ? task.defaultTimeout() : fixed, 1, codec);
        Duration probe = fixed == null ? CaTask.GET_CA.defaultTimeout() : fixed;
        return new ZmqAuthority(client, host, port, probe, codec.mapper());
    }

    private Authority openRa(CliContext context, Duration fixed, WireCodec codec) {
        URI base;
        try {
            base = URI.create(ra.strip());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--ra '" + ra + "' is not a URL");
        }
        if (!"https".equalsIgnoreCase(base.getScheme()) || base.getHost() == null) {
            throw CliException.usage("--ra must be an https:// URL with a host, such as https://127.0.0.1:8000");
        }
        if ((cert == null) != (key == null)) {
            throw CliException.usage("--cert and --key go together");
        }
        Duration wait = fixed == null ? Duration.ofSeconds(30) : fixed;
        HttpClient http = HttpClient.newBuilder()
                .sslContext(PemTls.context(cert == null ? null : context.resolve(cert),
                        key == null ? null : context.resolve(key), caCertFile(context)))
                .connectTimeout(wait.compareTo(Duration.ofSeconds(10)) < 0 ? wait : Duration.ofSeconds(10))
                .build();
        return new RaAuthority(http, base, wait, codec.mapper());
    }
}
