package io.upki.sidecar;

import io.upki.pki.ops.OpsServer;
import io.upki.pki.process.ProcessRunner;
import java.net.InetSocketAddress;
import io.upki.sidecar.decision.RouteClass;
import io.upki.sidecar.decision.RoutePolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line and composition root of the auth-sidecar: reads options, wires objects, serves. */
@Command(name = "auth-sidecar", mixinStandardHelpOptions = true, version = "upki auth-sidecar 0.1.0",
        description = "Forward-auth service for Traefik, nginx and Caddy: client certificate path, revocation and route policy.")
public final class SidecarMain implements Callable<Integer> {

    @Option(names = "--listen", defaultValue = "${env:UPKI_SIDECAR_LISTEN:-127.0.0.1:8080}",
            description = "host:port to serve on (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--trust-anchor", required = true, defaultValue = "${env:UPKI_TRUST_ANCHOR}",
            description = "PEM file with one or more root certificates (ca.crt).")
    Path trustAnchor;

    @Option(names = "--intermediates", defaultValue = "${env:UPKI_INTERMEDIATES}",
            description = "PEM bundle of intermediate CA certificates (nginx and Caddy send the leaf only).")
    Path intermediates;

    @Option(names = "--crl", split = ",", defaultValue = "${env:UPKI_CRL}",
            description = "CRL file (PEM or DER) or http(s) URL; repeatable or comma-separated.")
    List<String> crls = new ArrayList<>();

    @Option(names = "--crl-events", defaultValue = "${env:UPKI_CRL_EVENTS}",
            description = "crl-publisher push channels, comma-separated (http://publisher-a:8081/events,"
                    + "http://publisher-b:8081/events): each is followed, and a new CRL is taken from whichever "
                    + "announces it first.")
    String crlEvents;

    @Option(names = "--ca-events", defaultValue = "${env:UPKI_CA_EVENTS}",
            description = "The CA's event feed (tcp://ca:5002; CURVE like --ca): when no crl-publisher has answered "
                    + "for --crl-fallback-after, CRLs are taken from the CA (get_crl on each CRL it announces) until "
                    + "one answers again (env UPKI_CA_EVENTS; needs --ca; default: no fallback).")
    String caEvents;

    @Option(names = "--crl-fallback-after", defaultValue = "${env:UPKI_CRL_FALLBACK_AFTER:-PT2S}",
            description = "How long no crl-publisher may answer before the CA fallback starts (default ${DEFAULT-VALUE}).")
    Duration crlFallbackAfter;

    @Option(names = "--crl-poll", defaultValue = "PT30S", description = "How often CRL URLs are polled (ISO-8601).")
    Duration crlPoll;

    @Option(names = "--crl-grace", defaultValue = "${env:UPKI_CRL_GRACE:-PT0S}",
            description = "How long a CRL may be used past its nextUpdate (default none).")
    Duration crlGrace;

    @Option(names = "--admins", defaultValue = "${env:UPKI_ADMINS_FILE}",
            description = "File of administrator DNs, one per line.")
    Path adminsFile;

    @picocli.CommandLine.Mixin
    io.upki.pki.caclient.CaEndpointOptions ca = new io.upki.pki.caclient.CaEndpointOptions();

    @Option(names = "--admin-refresh", defaultValue = "PT10S", description = "How often the admin list is refreshed.")
    Duration adminRefresh;

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

    @Option(names = "--seed", defaultValue = "${env:UPKI_CA_SEED}", description = "Registration seed (env UPKI_CA_SEED).")
    String seed;

    @Option(names = "--seed-file", defaultValue = "${env:UPKI_CA_SEED_FILE}",
            description = "File holding the seed, e.g. a systemd credential (env UPKI_CA_SEED_FILE); instead of --seed.")
    Path seedFile;

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

    @Option(names = "--ca-public-key", defaultValue = "${env:UPKI_CA_PUBLIC_KEY}",
            description = "The CA's CURVE public key (Z85) or its curve.pub file: talk to the CA over CURVE "
                    + "(env UPKI_CA_PUBLIC_KEY; default: uPKI's plain protocol).")
    String caPublicKey;

    @Option(names = "--client-key", defaultValue = "${env:UPKI_SIDECAR_CLIENT_KEY}",
            description = "This sidecar's CURVE key pair file, made (0600) on first run "
                    + "(env UPKI_SIDECAR_CLIENT_KEY; default STATE_DIR/ca-client.key).")
    Path clientKey;

    @Option(names = "--ops-listen", defaultValue = "${env:UPKI_SIDECAR_OPS_LISTEN}",
            description = "host:port of a plain-HTTP operations listener (/health, /ready, /metrics) for probes and "
                    + "Prometheus, which hold no proxy certificate (env UPKI_SIDECAR_OPS_LISTEN); off unless given.")
    String opsListen;

    @Override
    public Integer call() throws Exception {
        io.upki.pki.caclient.CaCurve curve = io.upki.pki.caclient.CaCurve.open(caPublicKey,
                clientKey != null ? clientKey : stateDir.resolve("ca-client.key"));
        ProcessRunner.HostPort address = ProcessRunner.hostPort("listen", listen);
        RoutePolicy policy = routes == null || routes.isBlank() ? RoutePolicy.defaults()
                : RoutePolicy.parse(routes, RouteClass.DENY);
        io.upki.pki.caclient.CaEndpoints cas = caEndpoints(System.getenv("UPKI_CA_ENDPOINT"));
        String caEndpoint = cas == null ? null : cas.operationsList();
        String registerEndpoint = registration(cas);
        SidecarConfig config = new SidecarConfig(address.host(), address.port(),
                trustAnchor, intermediates, crls, crlEvents, crlPoll, crlGrace, adminsFile, caEndpoint, adminRefresh,
                proxy, policy, new SidecarConfig.Signing(assertionKey, assertionCert, registerEndpoint,
                        io.upki.pki.files.SecretOption.resolve(seed, seedFile, "--seed (UPKI_CA_SEED)", "--seed-file"), cn, stateDir),
                assertionTtl, maxHeaderBytes, maxCertificates, cacheSize, !noAudit,
                tlsCert == null && tlsKey == null ? null : new SidecarConfig.Tls(tlsCert, tlsKey),
                caEvents == null || caEvents.isBlank() ? null : new io.upki.pki.crlfeed.CrlFallbackSettings(caEvents, crlFallbackAfter));
        InetSocketAddress ops = OpsServer.address("--ops-listen", opsListen);
        Sidecar sidecar = Sidecar.start(config, curve, Clock.systemUTC());
        if (ops != null) {
            OpsServer.bind(sidecar, "--ops-listen", opsListen, () -> sidecar.startOps(ops));
        }
        System.out.println("upki auth-sidecar ready on " + (config.tls() == null ? "http://" : "https://") + config.host()
                + ":" + sidecar.port() + (config.tls() == null ? " (plain HTTP: whoever reaches this port acts as any client)"
                : " (proxy certificate required)") + " (proxy profile " + proxy + "; crypto " + io.upki.pki.crypto.NativeCrypto.current().description() + ")");
        ProcessRunner.serveUntilStopped(sidecar, "auth-sidecar");
        return 0;
    }

    /** {@code --ca} (UPKI_CA), else {@code fallback} (UPKI_CA_ENDPOINT, this process's older variable), else null. */
    io.upki.pki.caclient.CaEndpoints caEndpoints(String fallback) {
        return ca.given() == null && (fallback == null || fallback.isBlank()) ? null : ca.endpoints(fallback);
    }

    /** {@code --register} as given, else each CA's port + 1 when a seed asks for registration, else null. */
    String registration(io.upki.pki.caclient.CaEndpoints cas) {
        if (registerEndpoint != null && !registerEndpoint.isBlank()) {
            return registerEndpoint;
        }
        return cas != null && assertionKey == null && (seed != null || seedFile != null) ? cas.registrationList() : null;
    }

    public static void main(String[] args) {
        ProcessRunner.main("auth-sidecar", new SidecarMain(), args);
    }
}
