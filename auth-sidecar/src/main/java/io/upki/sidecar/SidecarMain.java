package io.upki.sidecar;

import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CaEndpointOptions;
import io.upki.pki.caclient.CaEndpoints;
import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.pki.crypto.NativeCrypto;
import io.upki.pki.options.CaCurveOptions;
import io.upki.pki.options.EnvDefaults;
import io.upki.pki.options.ListenOptions;
import io.upki.pki.options.OnOff;
import io.upki.pki.options.OpsListenOptions;
import io.upki.pki.options.ProcessVersion;
import io.upki.pki.process.ProcessRunner;
import io.upki.sidecar.decision.RouteClass;
import io.upki.sidecar.decision.RoutePolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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

    @Mixin
    TrustOptions trust = new TrustOptions();

    @Option(names = "--admins", defaultValue = "${env:UPKI_ADMINS_FILE}",
            description = "File of administrator DNs, one per line.")
    Path adminsFile;

    @Mixin
    CaEndpointOptions ca = new CaEndpointOptions();

    @Option(names = "--admin-refresh", defaultValue = "PT10S", description = "How often the admin list is refreshed.")
    Duration adminRefresh;

    @Option(names = "--proxy", defaultValue = "${env:UPKI_PROXY:-traefik}",
            description = "Proxy profile of /auth: traefik, nginx or caddy (default ${DEFAULT-VALUE}).")
    String proxy;

    @Option(names = "--routes", defaultValue = "${env:UPKI_ROUTES}",
            description = "Route policy, e.g. /api/v1/public=public,/api/v1=admin,/api/client=client (default upki's).")
    String routes;

    @Mixin
    SigningOptions signing = new SigningOptions();

    @Mixin
    LimitsOptions limits = new LimitsOptions();

    @Mixin
    TlsOptions tls = new TlsOptions();

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
        CaCurve caCurve = curve.open(signing.stateDir.resolve("ca-client.key"));
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

    /** The validated settings, each part from its own options. @throws IllegalArgumentException naming the option */
    SidecarConfig config() {
        ProcessRunner.HostPort address = listen.address();
        RoutePolicy policy = routes == null || routes.isBlank() ? RoutePolicy.defaults()
                : RoutePolicy.parse(routes, RouteClass.DENY);
        CaEndpoints cas = caEndpoints(System.getenv("UPKI_CA_ENDPOINT"));
        return new SidecarConfig(address, trust.trust(cas),
                new SidecarConfig.Admins(adminsFile, cas == null ? null : cas.operationsList(), adminRefresh),
                signing.signing(cas), limits.limits(), new SidecarConfig.Decisions(proxy, policy, !noAudit), tls.tls());
    }

    /** {@code --metrics on|off}. */
    static boolean metricsOn(String value) {
        try {
            return OnOff.parse(value);
        } catch (CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException("metrics: " + e.getMessage());
        }
    }

    /** {@code --ca} (UPKI_CA), else {@code fallback} (UPKI_CA_ENDPOINT, this process's older variable), else null. */
    CaEndpoints caEndpoints(String fallback) {
        return ca.given() == null && (fallback == null || fallback.isBlank()) ? null : ca.endpoints(fallback);
    }

    /** The CRL fallback: {@code --ca-events} ({@code none}: off), else each CA's port + 2, else null. */
    CrlFallbackSettings fallback(CaEndpoints cas) {
        return trust.crl.fallback(cas);
    }

    /** {@code --register} as given, else each CA's port + 1 when a seed asks for registration, else null. */
    String registration(CaEndpoints cas) {
        return signing.registration(cas);
    }

    public static void main(String[] args) {
        ProcessRunner.main("auth-sidecar", new SidecarMain(), args);
    }
}
