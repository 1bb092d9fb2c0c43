package io.upki.cli.transport;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CaEndpoints;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that choose and reach the CA, shared by every command that talks to it: ZeroMQ with
 * {@code --host/--port} (the default) or {@code --ca} (one CA or an active/standby pair), or HTTPS to the RA with {@code --ra} and a client certificate.
 */
public final class TransportOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "CA host for ZeroMQ (env UPKI_CA_HOST; default ${DEFAULT-VALUE}); --ca replaces --host/--port")
    String host;

    @Option(names = "--port", defaultValue = "5000", paramLabel = "PORT",
            description = "CA operations port (env UPKI_CA_PORT; default ${DEFAULT-VALUE})")
    int port;

    @picocli.CommandLine.Mixin
    io.upki.pki.caclient.CaEndpointOptions ca = new io.upki.pki.caclient.CaEndpointOptions();

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

    @Option(names = "--ca-public-key", paramLabel = "KEY|FILE",
            description = "the CA's CURVE public key (40 Z85 characters) or its curve.pub file: talk to the CA over "
                    + "CURVE with this operator's key (env UPKI_CA_PUBLIC_KEY; default: uPKI's plain protocol)")
    String caPublicKey;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "with --ca-public-key: this operator's CURVE key pair, made (0600) when absent "
                    + "(env UPKI_CLI_CLIENT_KEY; default ~/.config/upki/ca-client.key)")
    String clientKey;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "longest wait for one answer (env UPKI_CLI_TIMEOUT; default: 5 s for lookups, 30-60 s for signing)")
    Double timeout;

    /** {@code --ra}, {@code --cert}, {@code --key} and {@code --cacert} as given (null when absent). */
    public String raUrl() {
        return ra;
    }

    public String certOption() {
        return cert;
    }

    public String keyOption() {
        return key;
    }

    public String caCertOption() {
        return caCert;
    }

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
        Duration fixed = fixedTimeout();
        WireCodec codec = new WireCodec();
        if (viaRa()) {
            return openRa(context, fixed, codec);
        }
        return openZmq(context, false, fixed, codec);
    }

    /**
     * The CA's registration port (operations port + 1), where a CURVE key that the CA does not know yet
     * may enrol with the seed.
     *
     * @throws CliException USAGE with {@code --ra}, which cannot reach it, or for a bad {@code --timeout}
     */
    public ZmqAuthority openRegistration(CliContext context) {
        if (viaRa()) {
            throw CliException.usage("this command talks to the CA itself (ZeroMQ), not through --ra");
        }
        return openZmq(context, true, fixedTimeout(), new WireCodec());
    }

    private boolean viaRa() {
        return ra != null && !ra.isBlank();
    }

    /**
     * {@code --timeout} as a wait for every task, or null for each task's own default.
     *
     * @throws CliException USAGE outside (0, 3600] seconds
     */
    private Duration fixedTimeout() {
        if (timeout != null && (timeout <= 0 || timeout > 3600)) {
            throw CliException.usage("--timeout must be between 0 and 3600 seconds");
        }
        return timeout == null ? null : Duration.ofMillis((long) (timeout * 1000));
    }

    private ZmqAuthority openZmq(CliContext context, boolean registration, Duration fixed, WireCodec codec) {
        List<String> endpoints;
        if (ca.given() != null) {
            CaEndpoints cas;
            try {
                cas = ca.endpoints(null);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
            endpoints = registration ? cas.registration() : cas.operations();
        } else {
            int p = registration ? port + 1 : port;
            if (p < 1 || p > 65535) {
                throw CliException.usage("--port " + p + " is not a TCP port");
            }
            if (host == null || host.isBlank()) {
                throw CliException.usage("--host must not be empty");
            }
            endpoints = List.of("tcp://" + host + ":" + p);
        }
        CaCurve curve = curve(context);
        // One retry for lookups: a lost reply is then a short delay, and writes are never sent twice.
        ZmqCaClient client = curve.client(String.join(",", endpoints),
                task -> fixed == null ? task.defaultTimeout() : fixed, 1, codec);
        Duration probe = fixed == null ? CaTask.GET_CA.defaultTimeout() : fixed;
        return new ZmqAuthority(client, endpoints, probe, codec.mapper());
    }

    /** CURVE when {@code --ca-public-key} is given, with the operator's key pair (made when absent). */
    public CaCurve curve(CliContext context) {
        try {
            return CaCurve.open(caPublicKey == null ? null : resolveKeyOrFile(context, caPublicKey),
                    clientKeyFile(context));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** The operator's CURVE key pair file: {@code --client-key}, else ~/.config/upki/ca-client.key. */
    public Path clientKeyFile(CliContext context) {
        if (clientKey != null && !clientKey.isBlank()) {
            return context.resolve(clientKey);
        }
        String config = context.env().get("XDG_CONFIG_HOME");
        if (config == null || config.isBlank()) {
            String home = context.env().getOrDefault("HOME", System.getProperty("user.home"));
            config = Path.of(home, ".config").toString();
        }
        return Path.of(config, "upki", "ca-client.key");
    }

    /** Relative file names resolve in the working directory; a 40-character Z85 key stays as it is. */
    private static String resolveKeyOrFile(CliContext context, String value) {
        String v = value.strip();
        if (v.length() == org.zeromq.ZMQ.Curve.KEY_SIZE_Z85 && !java.nio.file.Files.exists(context.resolve(v))) {
            return v;
        }
        return context.resolve(v).toString();
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
