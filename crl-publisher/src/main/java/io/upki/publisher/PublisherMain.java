package io.upki.publisher;

import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CaEndpointOptions;
import io.upki.pki.options.CaCurveOptions;
import io.upki.pki.options.EnvDefaults;
import io.upki.pki.options.ListenOptions;
import io.upki.pki.options.ProcessVersion;
import io.upki.pki.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Command line of the crl-publisher. */
@Command(name = "crl-publisher", mixinStandardHelpOptions = true, versionProvider = ProcessVersion.class,
        defaultValueProvider = PublisherMain.Env.class,
        description = "Keeps the CRL current: fetches it from the CA, verifies it, publishes it atomically, "
                + "serves the CRL Distribution Point and pushes each new CRL to subscribed sidecars.")
public final class PublisherMain implements Callable<Integer> {
    /** The variables of the shared options that are named after this process. */
    public static final class Env extends EnvDefaults {
        public Env() {
            super(Map.of("--listen", "UPKI_PUBLISHER_LISTEN:-127.0.0.1:8081",
                    "--client-key", "UPKI_PUBLISHER_CLIENT_KEY:-${sys:user.home}/.upki/crl-publisher/ca-client.key"));
        }
    }

    @Mixin
    CaEndpointOptions ca = new CaEndpointOptions();

    @Option(names = "--events", defaultValue = "${env:UPKI_CA_EVENTS}",
            description = "CA event feeds, comma-separated (default: each --ca port + 2; only the active CA publishes).")
    String events;

    @Option(names = "--ca-cert", defaultValue = "${env:UPKI_CA_CERT}",
            description = "CA certificate to verify CRLs with (default: pinned from the CA on first start).")
    Path caCert;

    @Option(names = "--out", required = true, defaultValue = "${env:UPKI_CRL_DIR}",
            description = "Folder receiving crl.der, crl.pem and ca.crt.")
    Path out;


    @Mixin
    ListenOptions listen = new ListenOptions();

    @Option(names = "--margin", defaultValue = "PT1H", description = "Renew the CRL this long before nextUpdate.")
    Duration margin;

    @Option(names = "--debounce", defaultValue = "PT0.02S", description = "Quiet time after a revocation event.")
    Duration debounce;

    @Option(names = "--max-delay", defaultValue = "PT0.2S", description = "Longest a burst may delay the CRL.")
    Duration maxDelay;

    @Option(names = "--max-age", defaultValue = "PT60S", description = "Cache-Control max-age of the CRL.")
    Duration maxAge;

    @Option(names = "--ca-timeout", defaultValue = "PT10S", description = "Longest wait for one CA answer.")
    Duration caTimeout;

    @Option(names = "--ocsp", defaultValue = "${env:UPKI_PUBLISHER_OCSP:-false}", fallbackValue = "true", arity = "0..1",
            description = "Also answer OCSP (RFC 6960) at /ocsp, signed by a delegated signer certified by the CA.")
    boolean ocsp;

    @Option(names = "--crl-deltas", defaultValue = "${env:UPKI_CRL_DELTAS:-on}",
            description = "on: push the delta CRL (RFC 5280 section 5.2.4) issued with each new CRL to subscribers "
                    + "before the complete one, so a revocation costs each edge a few hundred bytes; off: every "
                    + "subscriber fetches each complete CRL (env UPKI_CRL_DELTAS).")
    String crlDeltas;

    /** {@code --crl-deltas on|off}. */
    boolean pushDeltas() {
        try {
            return io.upki.pki.options.OnOff.parse(crlDeltas);
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException("crl-deltas: " + e.getMessage());
        }
    }

    @Option(names = "--ocsp-dir", defaultValue = "${env:UPKI_PUBLISHER_OCSP_DIR}",
            description = "Folder of the OCSP signer's key (0600) and certificate (default: <out>/ocsp-signer).")
    Path ocspDir;

    @Option(names = "--ocsp-cn", defaultValue = "upki-ocsp-responder",
            description = "Common name of the OCSP signer's certificate.")
    String ocspCn;

    @Option(names = "--ocsp-validity", defaultValue = "PT10M",
            description = "nextUpdate - thisUpdate of OCSP responses (never past the CRL's nextUpdate).")
    Duration ocspValidity;


    @Mixin
    CaCurveOptions curve = new CaCurveOptions();

    @Option(names = "--root-crl", defaultValue = "${env:UPKI_ROOT_CRL}",
            description = "The offline root's CRL file (upki root crl writes root.crl), served at /root.crl and "
                    + "/root.crl.pem beside the CA's own (env UPKI_ROOT_CRL); re-read on each request.")
    Path rootCrl;

    @Override
    public Integer call() throws Exception {
        CaCurve caCurve = curve.open(null);
        ProcessRunner.HostPort address = listen.address();
        PublisherConfig.Ocsp ocspSettings = ocsp ? new PublisherConfig.Ocsp(
                ocspDir == null ? out.resolve("ocsp-signer") : ocspDir, ocspCn, ocspValidity) : null;
        // UPKI_CA_ENDPOINT: this process's variable before UPKI_CA, still read.
        String endpoints = ca.endpoints(System.getenv().getOrDefault("UPKI_CA_ENDPOINT", "tcp://127.0.0.1:5000"))
                .operationsList();
        PublisherConfig config = new PublisherConfig(endpoints, events, caCert, out, address.host(), address.port(), margin,
                debounce, maxDelay, maxAge, caTimeout, ocspSettings, pushDeltas());
        Publisher publisher = Publisher.start(config, caCurve, Clock.systemUTC(), rootCrl);
        System.out.println("upki crl-publisher ready on http://" + config.host() + ":" + publisher.port()
                + " (CRL in " + out + (ocsp ? "; OCSP at /ocsp" : "") + ")");
        ProcessRunner.serveUntilStopped(publisher, "crl-publisher");
        return 0;
    }

    public static void main(String[] args) {
        ProcessRunner.main("crl-publisher", new PublisherMain(), args);
    }
}
