package io.upki.sidecar;

import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CaEndpointOptions;
import io.upki.pki.caclient.CaEndpoints;
import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.pki.crypto.NativeCrypto;
import io.upki.pki.options.AdminRefreshOption;
import io.upki.pki.options.CaCurveOptions;
import io.upki.pki.options.CrlFeedOptions;
import io.upki.pki.options.EnvDefaults;
import io.upki.pki.options.ListenOptions;
import io.upki.pki.options.OnOff;
import io.upki.pki.options.OpsListenOptions;
import io.upki.pki.options.ProcessVersion;
import io.upki.pki.options.SeedOptions;
import io.upki.pki.process.ProcessRunner;
import io.upki.sidecar.decision.RouteClass;
import io.upki.sidecar.decision.RoutePolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Command line and composition root of the auth-sidecar: reads options, wires objects, serves. */
@Command(name = "auth-sidecar", mixinStandardHelpOptions = true, versionProvider = ProcessVersion.class,
        defaultValueProvider = SidecarMain.Env.class,
        description = "Forward-auth service for Traefik, nginx and Caddy: client certificate path, revocation and route policy.")
public final class SidecarMain implements Callable<Integer> {
    /** The variables of the shared options that are named after this process. */
    public static final class Env extends EnvDefaults {
        public Env() {
            super(Map.of("--listen", "UPKI_SIDECAR_LISTEN:-127.0.0.1:8080", "--ops-listen", "UPKI_SIDECAR_OPS_LISTEN",
                    "--client-key", "UPKI_SIDECAR_CLIENT_KEY"));
        }
    }

    @Mixin
    ListenOptions listen = new ListenOptions();

    @Option(names = "--trust-anchor", required = true, defaultValue = "${env:UPKI_TRUST_ANCHOR}",
            description = "PEM file with one or more root certificates (ca.crt).")
    Path trustAnchor;

    @Option(names = "--intermediates", defaultValue = "${env:UPKI_INTERMEDIATES}",
            description = "PEM bundle of intermediate CA certificates (nginx and Caddy send the leaf only).")
    Path intermediates;

    @Mixin
    CrlFeedOptions crl = new CrlFeedOptions();

    @Option(names = "--admins", defaultValue = "${env:UPKI_ADMINS_FILE}",
            description = "File of administrator DNs, one per line.")
    Path adminsFile;

    @Mixin
    CaEndpointOptions ca = new CaEndpointOptions();

    @Mixin
    AdminRefreshOption adminRefresh = new AdminRefreshOption();

    @Option(names = "--proxy", defaultValue = "${env:UPKI_PROXY:-traefik}",
            description = "Proxy profile of /auth: traefik, nginx or caddy (default ${DEFAULT-VALUE}).")
    String proxy;

    @Option(names = "--routes", defaultValue = "${env:UPKI_ROUTES}",
            description = "Route policy, e.g. /api/v1/public=public,/api/v1=admin,/api/client=client (default upki's).")
    String routes;

    @Option(names = "--assertion-key", description = "PEM private key (EC) for signing assertions.")
    Path assertionKey;

    @Option(names = "--assertion-cert", description = "PEM certificate chain of the assertion key.")
    Path assertionCert;

    @Option(names = "--register", defaultValue = "${env:UPKI_CA_REGISTRATION}",
            description = "CA registration endpoints (tcp://host:5001[,...]) to obtain the assertion key with the seed "
                    + "(default with --seed: each --ca port + 1).")
    String registerEndpoint;

    @Mixin
    SeedOptions seed = new SeedOptions();

    @Option(names = "--cn", defaultValue = "auth-sidecar", description = "CN registered for the signing identity.")
    String cn;

    @Option(names = "--state-dir", defaultValue = "${env:UPKI_SIDECAR_STATE:-${sys:user.home}/.upki/sidecar}",
            description = "Where a registered signing identity and the highest CRL number per issuer (crl-numbers) are kept.")
    Path stateDir;

    @Option(names = "--assertion-ttl", defaultValue = "PT30S", description = "Lifetime of an assertion.")
    Duration assertionTtl;

    @Option(names = "--max-header-bytes", defaultValue = "65536",
            description = "Largest certificate header accepted (a longer one is refused with 403).")
    int maxHeaderBytes;

    @Option(names = "--max-certificates", defaultValue = "8", description = "Most certificates accepted in one header.")
    int maxCertificates;

    @Option(names = "--cache-size", defaultValue = "100000", description = "Verified paths kept in the cache.")
    long cacheSize;

    @Option(names = "--tls-cert", defaultValue = "${env:UPKI_SIDECAR_TLS_CERT}",
            description = "PEM certificate chain to serve HTTPS with; clients must then present a certificate of "
                    + "upki's proxy profile (without it, anyone reaching this port can act as an administrator).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:UPKI_SIDECAR_TLS_KEY}",
            description = "PEM private key of --tls-cert (a file readable by the sidecar only).")
    Path tlsKey;

    @Option(names = "--no-audit", description = "Do not write one audit line per decision.")
    boolean noAudit;

    @Mixin
    CaCurveOptions curve = new CaCurveOptions();

    @Mixin
    OpsListenOptions ops = new OpsListenOptions();

    @Option(names = "--metrics", defaultValue = "${env:UPKI_METRICS:-on}",
            description = "on: count decisions and serve /metrics (Prometheus text); off: no metrics registry "
                    + "at all and /metrics answers 404 (env UPKI_METRICS; default on).")
    String metrics;

    @Override
    public Integer call() throws Exception {
        CaCurve caCurve = curve.open(stateDir.resolve("ca-client.key"));
        SidecarConfig config = config();
        InetSocketAddress opsAddress = ops.address();
        Sidecar sidecar = Sidecar.start(config, caCurve, Clock.systemUTC(), metricsOn(metrics));
        ops.bind(sidecar, () -> sidecar.startOps(opsAddress));
        System.out.println("upki auth-sidecar ready on " + (config.tls() == null ? "http://" : "https://")
                + config.listen().host() + ":" + sidecar.port() + (config.tls() == null
                ? " (plain HTTP: whoever reaches this port acts as any client)" : " (proxy certificate required)")
                + " (proxy profile " + proxy + "; crypto " + NativeCrypto.current().description() + ")");
        ProcessRunner.serveUntilStopped(sidecar, "auth-sidecar");
        return 0;
    }

    /** The validated settings, part by part. @throws IllegalArgumentException naming the option at fault */
    SidecarConfig config() {
        ProcessRunner.HostPort address = listen.address();
        RoutePolicy policy = routes == null || routes.isBlank() ? RoutePolicy.defaults()
                : RoutePolicy.parse(routes, RouteClass.DENY);
        CaEndpoints cas = caEndpoints(System.getenv("UPKI_CA_ENDPOINT"));
        return new SidecarConfig(address,
                new SidecarConfig.Trust(trustAnchor, intermediates, crl.settings(cas)),
                new SidecarConfig.Admins(adminsFile, cas == null ? null : cas.operationsList(), adminRefresh.interval()),
                new SidecarConfig.Signing(assertionKey, assertionCert, registration(cas), seed.seed(), cn, stateDir),
                new SidecarConfig.Limits(maxHeaderBytes, maxCertificates, cacheSize, assertionTtl),
                new SidecarConfig.Decisions(proxy, policy, !noAudit),
                tlsCert == null && tlsKey == null ? null : new SidecarConfig.Tls(tlsCert, tlsKey));
    }

    /** {@code --metrics on|off}. */
    static boolean metricsOn(String value) {
        return OnOff.parse("metrics", value);
    }

    /** {@code --ca} (UPKI_CA), else {@code fallback} (UPKI_CA_ENDPOINT, this process's older variable), else null. */
    CaEndpoints caEndpoints(String fallback) {
        return ca.given() == null && (fallback == null || fallback.isBlank()) ? null : ca.endpoints(fallback);
    }

    /** The CRL fallback: {@code --ca-events} ({@code none}: off), else each CA's port + 2, else null. */
    CrlFallbackSettings fallback(CaEndpoints cas) {
        return crl.fallback(cas);
    }

    /** {@code --register} as given, else each CA's port + 1 when a seed asks for registration, else null. */
    String registration(CaEndpoints cas) {
        if (registerEndpoint != null && !registerEndpoint.isBlank()) {
            return registerEndpoint;
        }
        return cas != null && assertionKey == null && seed.given() ? cas.registrationList() : null;
    }

    public static void main(String[] args) {
        ProcessRunner.main("auth-sidecar", new SidecarMain(), args);
    }
}
