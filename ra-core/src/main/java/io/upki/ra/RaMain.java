package io.upki.ra;

import io.upki.acme.config.AcmeSettings;
import io.upki.acme.db.StoreLocation;
import io.upki.acme.validation.NetworkPolicy;
import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CaEndpointOptions;
import io.upki.pki.caclient.CaEndpoints;
import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.pki.files.SecretOption;
import io.upki.pki.options.AdminRefreshOption;
import io.upki.pki.options.AuditLogOptions;
import io.upki.pki.options.CaCurveOptions;
import io.upki.pki.options.CrlFeedOptions;
import io.upki.pki.options.EnvDefaults;
import io.upki.pki.options.OpsListenOptions;
import io.upki.pki.options.ProcessVersion;
import io.upki.pki.options.SeedOptions;
import io.upki.pki.process.ProcessRunner;
import io.upki.ra.audit.RaAudit;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** Command line of the ra-core. */
@Command(name = "ra-core", mixinStandardHelpOptions = true, versionProvider = ProcessVersion.class,
        description = "The upki Registration Authority: HTTP API for admins and clients, backed by the CA over ZeroMQ.",
        subcommands = {RaMain.Start.class})
public final class RaMain implements Callable<Integer> {
    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 2;
    }

    /** The variables of the shared options that are named after this process. */
    public static final class Env extends EnvDefaults {
        public Env() {
            super(Map.of("--ops-listen", "UPKI_RA_OPS_LISTEN", "--client-key", "UPKI_RA_CLIENT_KEY"));
        }
    }

    /** {@code ra-core start}. */
    @Command(name = "start", mixinStandardHelpOptions = true, description = "Serve the RA until SIGTERM.",
            defaultValueProvider = Env.class)
    static final class Start implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "${env:UPKI_DATA_DIR:-${sys:user.home}/.upki/ra}",
                description = "Where ra.key, ra.crt and ca.crt live (env UPKI_DATA_DIR).")
        Path dataDir;

        @Mixin
        CaEndpointOptions ca = new CaEndpointOptions();

        @Option(names = "--ca-host", defaultValue = "${env:UPKI_CA_HOST:-127.0.0.1}",
                description = "Deprecated, use --ca (not both): CA host; UPKI_CA_HOST is read only without UPKI_CA.")
        String caHost;

        @Option(names = "--ca-port", defaultValue = "${env:UPKI_CA_PORT:-5000}",
                description = "Deprecated, use --ca (not both): CA port; UPKI_CA_PORT is read only without UPKI_CA.")
        int caPort;

        @Option(names = "--host", defaultValue = "${env:UPKI_RA_HOST:-127.0.0.1}", description = "Bind address (UPKI_RA_HOST).")
        String host;

        @Option(names = "--port", defaultValue = "${env:UPKI_RA_PORT:-8000}", description = "Port (UPKI_RA_PORT).")
        int port;

        @Option(names = "--mode", defaultValue = "${env:UPKI_RA_MODE:-direct}",
                description = "direct (HTTPS with client certificates) or edge (HTTP behind the proxy and sidecar).")
        String mode;

        @Option(names = "--tls", defaultValue = "${env:UPKI_RA_TLS:-true}",
                description = "uPKI's UPKI_RA_TLS: false selects edge mode (plain HTTP behind the proxy).")
        boolean tls;

        @Option(names = "--edge-tls", defaultValue = "${env:UPKI_RA_EDGE_TLS:-false}",
                description = "Edge mode: serve HTTPS with ra.crt and only to a client certificate of upki's proxy "
                        + "profile (UPKI_RA_EDGE_TLS); without it the edge port is plain HTTP.")
        boolean edgeTls;

        @Option(names = "--sans", split = ",", defaultValue = "${env:UPKI_RA_SANS:-upki-ra,127.0.0.1}",
                description = "Names for ra.crt at first registration (UPKI_RA_SANS, comma-separated).")
        List<String> sans = new ArrayList<>();

        @Mixin
        SeedOptions seed = new SeedOptions();

        @Option(names = "--cn", defaultValue = "${env:UPKI_RA_CN:-upki-ra}", description = "CN registered for ra.crt.")
        String cn;

        @Mixin
        CrlFeedOptions crl = new CrlFeedOptions();

        @Mixin
        AdminRefreshOption adminRefresh = new AdminRefreshOption();

        @Option(names = "--publisher", defaultValue = "${env:UPKI_PUBLISHER}",
                description = "crl-publisher base URL, told after a CRL regeneration.")
        String publisher;

        @Option(names = "--ca-timeout", defaultValue = "PT5S", description = "Longest wait for the CA (then 503).")
        Duration caTimeout;

        @Option(names = "--max-body", defaultValue = "65536", description = "Largest request body in bytes.")
        int maxBody;

        @Option(names = "--acme", negatable = true, defaultValue = "${env:UPKI_ACME:-true}", fallbackValue = "true",
                description = "Serve ACME (RFC 8555) under /acme/ (UPKI_ACME, default true).")
        boolean acme;

        @Option(names = "--acme-profile", defaultValue = "${env:UPKI_ACME_PROFILE:-server}",
                description = "CA profile for ACME certificates (UPKI_ACME_PROFILE).")
        String acmeProfile;

        @Option(names = "--acme-http-port", defaultValue = "${env:UPKI_ACME_HTTP_PORT:-80}",
                description = "Port http-01 validation connects to (UPKI_ACME_HTTP_PORT).")
        int acmeHttpPort;

        @Option(names = "--acme-tls-port", defaultValue = "${env:UPKI_ACME_TLS_PORT:-443}",
                description = "Port tls-alpn-01 validation connects to (UPKI_ACME_TLS_PORT).")
        int acmeTlsPort;

        @Option(names = "--acme-dns", defaultValue = "${env:UPKI_ACME_DNS}",
                description = "host:port of the DNS server for validation (UPKI_ACME_DNS); default the system resolver.")
        String acmeDns;

        @Option(names = "--acme-eab", defaultValue = "${env:UPKI_ACME_EAB}",
                description = "External Account Binding keys: kid=base64url,... or @file (UPKI_ACME_EAB); makes EAB required.")
        String acmeEab;

        @Option(names = "--acme-order-lifetime", defaultValue = "P1D", description = "Lifetime of an ACME order.")
        Duration acmeOrderLifetime;

        @Option(names = "--acme-authz-lifetime", defaultValue = "P1D", description = "Lifetime of a pending authorization.")
        Duration acmeAuthzLifetime;

        @Option(names = "--acme-nonce-lifetime", defaultValue = "PT1H", description = "Lifetime of an unused nonce.")
        Duration acmeNonceLifetime;

        @Option(names = "--acme-allow-networks", defaultValue = "${env:UPKI_ACME_ALLOW_NETWORKS}",
                description = "Networks validation may also connect to, CIDR[,CIDR] (UPKI_ACME_ALLOW_NETWORKS): "
                        + "by default only public addresses; loopback, private (RFC 1918, RFC 4193, 100.64.0.0/10), "
                        + "link-local and the like only inside these.")
        String acmeAllowNetworks;

        @Mixin
        AuditLogOptions audit = new AuditLogOptions();

        @Option(names = "--acme-base-url", defaultValue = "${env:UPKI_ACME_BASE_URL}",
                description = "External scheme://host[:port] of the RA when a proxy changes it (UPKI_ACME_BASE_URL).")
        String acmeBaseUrl;

        @Option(names = "--acme-store", defaultValue = "${env:UPKI_ACME_STORE}",
                description = "Where ACME state lives: postgresql://USER@HOST:PORT/DB for a PostgreSQL database that "
                        + "several ra-core replicas share, nonces included (env UPKI_ACME_STORE); default acme.db (SQLite) "
                        + "in the data directory. The password never goes in the URL: env PGPASSWORD or "
                        + "--acme-store-password-file.")
        String acmeStore;

        @Option(names = "--acme-store-password-file", defaultValue = "${env:UPKI_ACME_STORE_PASSWORD_FILE}",
                description = "File holding the PostgreSQL password of --acme-store (env UPKI_ACME_STORE_PASSWORD_FILE); "
                        + "instead of env PGPASSWORD.")
        Path acmeStorePasswordFile;

        @Mixin
        CaCurveOptions curve = new CaCurveOptions();

        @Mixin
        OpsListenOptions ops = new OpsListenOptions();

        @Spec
        CommandSpec spec;

        /**
         * The CA list: {@code --ca}, else {@code --ca-host/--ca-port} given as flags, else UPKI_CA, else null
         * (the one CA at UPKI_CA_HOST:UPKI_CA_PORT or their defaults). A flag wins over a variable.
         */
        CaEndpoints caEndpoints() {
            ParseResult parsed = spec.commandLine().getParseResult();
            boolean oldFlags = parsed.hasMatchedOption("--ca-host") || parsed.hasMatchedOption("--ca-port");
            if (parsed.hasMatchedOption("--ca")) {
                if (oldFlags) {
                    throw new IllegalArgumentException("ca: give --ca or the deprecated --ca-host/--ca-port, not both");
                }
                return ca.endpoints(null);
            }
            return oldFlags || ca.given() == null ? null : ca.endpoints(null);
        }

        /** The CRL fallback: {@code --ca-events} ({@code none}: off), else each CA's port + 2, else null. */
        CrlFallbackSettings crlFallback(CaEndpoints cas) {
            return crl.fallback(cas);
        }

        /** The validated settings from the parsed options, with {@code acmeSettings} read beforehand. */
        RaConfig config(AcmeSettings acmeSettings) {
            CaEndpoints cas = caEndpoints();
            RaConfig.Mode m = tls ? RaConfig.Mode.valueOf(mode.toUpperCase(Locale.ROOT)) : RaConfig.Mode.EDGE;
            return new RaConfig(dataDir, new RaConfig.Listener(host, port, m, edgeTls),
                    new RaConfig.CaLink(RaConfig.CaLink.endpoints(cas, caHost, caPort), caTimeout),
                    new RaConfig.Identity(seed.seed(), cn, sans), crl.settings(cas), adminRefresh.interval(), publisher,
                    maxBody, acmeSettings);
        }

        @Override
        public Integer call() throws Exception {
            InetSocketAddress opsAddress = ops.address();
            CaCurve caCurve = curve.open(dataDir.resolve("ca-client.key"));
            AcmeSettings acmeSettings = new AcmeSettings(acme, acmeProfile, acmeHttpPort, acmeTlsPort, acmeDns,
                    AcmeSettings.parseEab(acmeEab), acmeOrderLifetime, acmeAuthzLifetime, acmeNonceLifetime, acmeBaseUrl,
                    NetworkPolicy.parse(acmeAllowNetworks));
            String pgPassword = SecretOption.resolve(System.getenv("PGPASSWORD"), acmeStorePasswordFile,
                    "PGPASSWORD", "--acme-store-password-file");
            acmeSettings = acmeSettings.withStore(StoreLocation.parse(acmeStore, dataDir.resolve("acme.db"),
                    pgPassword == null ? null : pgPassword.toCharArray()));
            RaConfig config = config(acmeSettings);
            RaConfig.Mode m = config.mode();
            RaServer server = RaServer.start(config, caCurve, Clock.systemUTC(),
                    new RaAudit(audit.open("ra-core", Clock.systemUTC())));
            ops.bind(server, () -> server.startOps(opsAddress));
            System.out.println("upki ra-core ready on " + (config.listen().https() ? "https" : "http") + "://"
                    + host + ":" + server.port() + " (" + m.name().toLowerCase(Locale.ROOT) + " mode"
                    + (m == RaConfig.Mode.EDGE ? edgeTls ? ", proxy certificate required)"
                    : "; plain HTTP: whoever reaches this port and holds a sidecar assertion is served)" : ")")
                    + (acme ? "; ACME store " + acmeSettings.store() : ""));
            ProcessRunner.serveUntilStopped(server, "ra-core");
            return 0;
        }
    }

    public static void main(String[] args) {
        ProcessRunner.main("ra-core", new RaMain(), args);
    }
}
