package io.upki.ca;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaInitializer;
import io.upki.ca.authority.DataDirOptions;
import io.upki.ca.config.CaConfig;
import io.upki.ca.config.ConfigFile;
import io.upki.ca.keys.Passphrase;
import io.upki.pki.audit.AuditTrail;
import io.upki.pki.options.AuditLogOptions;
import io.upki.pki.options.EnvDefaults;
import io.upki.pki.options.OpsListenOptions;
import io.upki.pki.options.ProcessVersion;
import io.upki.pki.options.SeedOptions;
import io.upki.pki.process.ProcessRunner;
import io.upki.pki.x509.CertificateFacts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of the ca-server process: {@code init} creates a CA, {@code start} serves it. */
@Command(name = "ca-server", mixinStandardHelpOptions = true, versionProvider = ProcessVersion.class,
        description = "The upki CA: holds the CA key, profiles and certificate store; speaks uPKI's ZeroMQ protocol.",
        subcommands = {CaServerMain.Init.class, io.upki.ca.intermediate.InstallCommand.class, CaServerMain.Start.class,
                CaServerMain.PublicKey.class, IssueCommand.class,
                CaServerMain.AddClient.class, io.upki.ca.rollover.RolloverCommand.class})
public final class CaServerMain implements Callable<Integer> {

    /** Options shared by the sub-commands that open the CA: its directory, seed and key passphrase. */
    static class Common {
        @CommandLine.Mixin
        DataDirOptions data;

        @CommandLine.Mixin
        SeedOptions seed;

        String seed() {
            return seed.seed();
        }

        @Option(names = "--passphrase-file",
                description = "File holding the CA key passphrase (or env UPKI_CA_PASSPHRASE).")
        Path passphraseFile;

        char[] passphrase() throws IOException {
            return Passphrase.read(passphraseFile, "UPKI_CA_PASSPHRASE");
        }
    }

    /** The variables of the shared options that are named after this process. */
    public static final class Env extends EnvDefaults {
        public Env() {
            super(Map.of("--ops-listen", "UPKI_CA_OPS_LISTEN"));
        }
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** {@code ca-server init}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create a new self-signed CA, or with --intermediate an online CA's key and its CSR (ca.csr) for "
                    + "the offline root (refuses to overwrite an existing one)."})
    static final class Init implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @CommandLine.Mixin
        io.upki.ca.keys.Pkcs11Options pkcs11;

        @Option(names = "--intermediate", description = "Make the key and a CSR (ca.csr) for the offline root to sign "
                + "(bin/upki root sign); finish with 'ca-server install'.")
        boolean intermediate;

        @Option(names = "--key-type", defaultValue = "rsa", description = "rsa (RSA-4096, default) or ec (P-384).")
        String keyType;

        @Option(names = "--cn", description = "Common name of the CA (default: the ca profile's, 'uPKI Root CA').")
        String commonName;

        @Option(names = "--crl-validity", defaultValue = "7",
                description = "CRL lifetime: days or ISO-8601 duration (default ${DEFAULT-VALUE}).")
        String crlValidity;

        @Option(names = "--crl-url", defaultValue = "${env:UPKI_CRL_URL}",
                description = "CRL Distribution Point URL written into issued certificates (env UPKI_CRL_URL).")
        String crlUrl;

        @Override
        public Integer call() throws IOException {
            CaConfig.parseCrlValidity(crlValidity);
            CaFiles files = common.data.files();
            if (intermediate) {
                return io.upki.ca.intermediate.InstallCommand.initIntermediate(files, keyType, common.seed(), common.passphrase(),
                        pkcs11.settings(), commonName, crlValidity, crlUrl);
            }
            CaInitializer.Result result = new CaInitializer(Clock.systemUTC(), new SecureRandom())
                    .initialize(files, keyType, common.seed(), common.passphrase(), pkcs11.settings(), commonName,
                            crlValidity, crlUrl);
            System.out.println("CA created in " + files.dataDir().toAbsolutePath());
            System.out.println("  subject:     " + result.certificate().getSubject());
            System.out.println("  certificate: " + files.caCertificate());
            System.out.println("  sha256:      " + CertificateFacts.sha256Fingerprint(result.certificate().getEncoded()));
            System.out.println("  CURVE public key (clients' --ca-public-key, also in " + files.curvePublicKey() + "):");
            System.out.println("    " + result.curvePublicKey());
            if (result.seedGenerated()) {
                System.out.println("Registration seed (shown once, keep it secret; RAs need it to register):");
                System.out.println(result.seed());
            } else {
                System.out.println("Registration seed: as given");
            }
            return 0;
        }
    }

    /** {@code ca-server start}. */
    @Command(name = "start", mixinStandardHelpOptions = true, description = "Serve the CA until SIGTERM.",
            defaultValueProvider = Env.class)
    static final class Start implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Option(names = "--host", defaultValue = "${env:UPKI_CA_HOST}",
                description = "Address to bind (env UPKI_CA_HOST; default 127.0.0.1).")
        String host;

        @Option(names = "--port", defaultValue = "${env:UPKI_CA_PORT}",
                description = "Operations port (env UPKI_CA_PORT; default 5000); registration is port + 1, events port + 2.")
        Integer port;


        @CommandLine.Mixin
        AuditLogOptions audit;

        @Option(names = "--client-auth", defaultValue = "${env:UPKI_CA_CLIENT_AUTH}",
                description = "curve (every client proves a known CURVE key, RFC 26) or none (uPKI's plain protocol,"
                        + " loopback only) (env UPKI_CA_CLIENT_AUTH; default: none on loopback, curve elsewhere).")
        String clientAuth;

        @CommandLine.Mixin
        io.upki.ca.keys.Pkcs11Options pkcs11;

        @Option(names = "--ca-issuers-url", defaultValue = "${env:UPKI_CA_ISSUERS_URL}",
                description = "URL of this CA's certificate written as AIA caIssuers in issued certificates "
                        + "(env UPKI_CA_ISSUERS_URL; RFC 5280 section 4.2.2.1); none unless given.")
        String caIssuersUrl;

        @CommandLine.Mixin
        StoreOptions store;

        @CommandLine.Mixin
        OpsListenOptions ops;

        @Override
        public Integer call() throws Exception {
            InetSocketAddress opsAddress = ops.address();
            CaFiles files = common.data.files();
            ConfigFile file = ConfigFile.read(files.config());
            String h = firstNonNull(host, file.host(), CaConfig.DEFAULT_HOST);
            int p = firstNonNull(port, file.port(), CaConfig.DEFAULT_PORT);
            Duration validity = file.crlValidity() == null ? CaConfig.DEFAULT_CRL_VALIDITY
                    : CaConfig.parseCrlValidity(file.crlValidity());
            CaConfig config = new CaConfig(common.data.dataDir(), h, p, p + 1, p + 2, validity, file.crlUrl(), file.ocspUrl());
            io.upki.ca.access.ClientAuth auth = io.upki.ca.access.ClientAuth.parse(clientAuth, h);
            AuditLog auditLog = new AuditLog(audit.open("ca-server", Clock.systemUTC()));
            io.upki.ca.store.StoreLocation location = store.location(files.database());
            char[] storePassword = store.password();
            // A shared (PostgreSQL) store: wait as the standby until this CA holds the active lock.
            io.upki.ca.standby.ActiveStandby pair = !location.shared() ? null
                    : io.upki.ca.standby.ActiveStandby.await(location, storePassword, config, auth,
                            opsAddress, auditLog, Clock.systemUTC());
            CaServer server;
            try {
                server = CaServer.open(config, auth, new io.upki.ca.keys.CaKeyAccess(common.passphrase(),
                        pkcs11.settings(), caIssuersUrl), common.seed(), Clock.systemUTC(), new SecureRandom(), auditLog,
                        location, storePassword);
            } catch (IOException | RuntimeException e) {
                if (pair != null) {
                    pair.abandon();
                }
                throw e;
            }
            if (pair != null) {
                pair.handOver(server::closeAfter);
            }
            server.start();
            ops.bind(server, () -> server.startOps(opsAddress));
            System.out.println("upki ca-server ready: operations " + config.endpoint(server.port())
                    + ", registration " + config.endpoint(server.registrationPort())
                    + ", events " + config.endpoint(server.eventsPort())
                    + "; client auth " + server.clientAuth().wireName()
                    + " (CURVE public key " + server.curvePublicKey() + ")"
                    + "; crypto " + io.upki.pki.crypto.NativeCrypto.current().description());
            ProcessRunner.serveUntilStopped(server, "ca-server");
            return 0;
        }

        @SafeVarargs
        private static <T> T firstNonNull(T... values) {
            for (T v : values) {
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
    }

    /** {@code ca-server public-key}: the CA's CURVE public key, for clients' --ca-public-key. */
    @Command(name = "public-key", mixinStandardHelpOptions = true,
            description = "Print the CA's CURVE public key (Z85; also in DATA_DIR/curve.pub), making the key pair "
                    + "when the data directory has none yet.")
    static final class PublicKey implements Callable<Integer> {
        @CommandLine.Mixin
        DataDirOptions data;

        @Override
        public Integer call() throws IOException {
            System.out.println(io.upki.ca.authority.CaCurveKey.loadOrCreate(data.existing()).publicKey());
            return 0;
        }
    }

    /**
     * {@code ca-server add-client}: makes a CURVE key known with a role straight in the CA's store, for
     * deployments that provision service keys before the CA starts (docker-compose's ca-init). Whoever
     * can write the data directory holds the CA key anyway, so this needs no operator key.
     */
    @Command(name = "add-client", mixinStandardHelpOptions = true,
            description = {"Make a CURVE client key known with a role, in the store of a CA that is not running",
                    "(a running CA reads its keys at start). --key-file is made (0600) when absent."})
    static final class AddClient implements Callable<Integer> {
        @CommandLine.Mixin
        DataDirOptions data;

        @Option(names = "--role", required = true, description = "operator, ra, sidecar or crl-publisher")
        String role;

        @Option(names = "--name", required = true, description = "Who holds the key, for clients list.")
        String name;

        @Option(names = "--key-file", required = true, description = "The client's key pair file.")
        Path keyFile;

        @CommandLine.Mixin
        StoreOptions store;

        @Override
        public Integer call() throws IOException {
            CaFiles files = data.existing();
            io.upki.ca.access.Role r = io.upki.ca.access.Role.fromWireName(role).orElseThrow(() ->
                    new IllegalArgumentException("--role: " + io.upki.ca.access.Role.notOneOf(role)));
            String key = io.upki.pki.caclient.CurveKeys.loadOrCreate(keyFile).publicKey();
            try (io.upki.ca.store.Database db = store.location(files.database()).open(store.password())) {
                new io.upki.ca.access.ClientRegistry(new io.upki.ca.store.JdbcClientRepository(db), Clock.systemUTC(),
                        new AuditLog(AuditTrail.logOnly("ca-server", Clock.systemUTC()))).add(key, name, r, "ca-server add-client");
            }
            System.out.println("added " + key + " as " + r.wireName() + " (" + name + ")");
            return 0;
        }
    }

    public static void main(String[] args) {
        ProcessRunner.main("ca-server", new CaServerMain(), args);
    }
}
