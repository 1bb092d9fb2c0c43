package io.upki.ca;

import io.upki.ca.access.AccessPolicy;
import io.upki.ca.access.ClientAuth;
import io.upki.ca.access.ClientRegistry;
import io.upki.ca.access.ZapHandler;
import io.upki.ca.admin.AdminService;
import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CaCurveKey;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaLoader;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.authority.RegistrationSeed;
import io.upki.ca.config.CaConfig;
import io.upki.ca.authority.CaGenerations;
import io.upki.ca.crl.CrlServices;
import io.upki.ca.rollover.GenerationWatch;
import io.upki.ca.events.EventFeed;
import io.upki.ca.inspect.CertificateInspector;
import io.upki.ca.issue.CertificateIssuer;
import io.upki.ca.keys.CaKeyAccess;
import io.upki.ca.issue.CsrRenewal;
import io.upki.ca.issue.IssuanceService;
import io.upki.ca.issue.KeyPairs;
import io.upki.ca.issue.SerialNumbers;
import io.upki.ca.issue.SigningStore;
import io.upki.ca.lookup.CertificateLookup;
import io.upki.ca.profile.ProfileRegistry;
import io.upki.ca.registration.RegistrationService;
import io.upki.ca.revoke.RevocationService;
import io.upki.ca.store.CertificateRecord;
import io.upki.ca.store.RevokedEntry;
import io.upki.ca.store.Database;
import io.upki.ca.store.JdbcAdminRepository;
import io.upki.ca.store.JdbcCertificateRepository;
import io.upki.ca.store.JdbcClientRepository;
import io.upki.ca.store.JdbcCrlRepository;
import io.upki.ca.store.JdbcNodeRepository;
import io.upki.ca.store.StoreLocation;
import io.upki.ca.wire.CaRoutes;
import io.upki.ca.wire.Lanes;
import io.upki.ca.wire.ZmqFrontend;
import io.upki.pki.audit.AuditTrail;
import io.upki.pki.caclient.CurveKeys;
import io.upki.pki.caclient.ZmqContexts;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.wire.CaEvent;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.RevocationReason;
import io.upki.ca.ops.CaMetrics;
import io.upki.ca.ops.CaReadiness;
import io.upki.pki.ops.OpsServer;
import io.upki.pki.wire.SubjectAltName;
import java.util.List;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * The composition root of the CA: builds every object by constructor from the configuration, binds
 * both ports, and shuts down in order (stop reading, finish accepted work, close the store).
 */
public final class CaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaServer.class);
    /** How long the event feed may stay silent: the bound on catching up with a missed event. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** The largest delta CRL sent on the event feed: base64 and JSON stay under the subscribers' 64 KiB frame. */
    private static final int MAX_DELTA_EVENT_BYTES = 40 * 1024;
    /** How long a store or key check answers for: probes come every few seconds from several places. */
    private static final Duration READINESS_TTL = Duration.ofSeconds(5);
    /** How often the certificates expiring soon are counted again. */
    private static final Duration EXPIRY_REFRESH = Duration.ofMinutes(1);

    private final CaConfig config;
    private final Database database;
    private final ZContext zmq;
    private final Lanes lanes;
    private final SigningStore signing;
    private final ZmqFrontend operations;
    private final ZmqFrontend registration;
    private final EventFeed events;
    private final ZapHandler zap;
    private final ClientAuth clientAuth;
    private final String curvePublicKey;
    private int port;
    private int registrationPort;
    private int eventsPort;
    private boolean closed;

    private final CrlServices crls;
    private GenerationWatch generationWatch;
    private CaMetrics metrics;
    private CaReadiness readiness;
    private OpsServer opsServer;
    private ScheduledExecutorService opsTimer;
    private IssuanceService issuance;
    private final java.util.List<AutoCloseable> closeAfter = new java.util.ArrayList<>();

    private CaServer(CaConfig config, Database database, ZContext zmq, Lanes lanes, SigningStore signing,
                     ZmqFrontend operations, ZmqFrontend registration, EventFeed events, CrlServices crls,
                     ZapHandler zap, ClientAuth clientAuth, String curvePublicKey) {
        this.zap = zap;
        this.clientAuth = clientAuth;
        this.curvePublicKey = curvePublicKey;
        this.signing = signing;
        this.events = events;
        this.crls = crls;
        this.config = config;
        this.database = database;
        this.zmq = zmq;
        this.lanes = lanes;
        this.operations = operations;
        this.registration = registration;
    }

    /**
     * Loads the CA of {@code config.dataDir()} and wires the server (nothing is bound yet).
     *
     * @param seedOverride a seed given at start (flag or UPKI_CA_SEED) replacing the stored one, or null
     */
    public static CaServer open(CaConfig config, char[] passphrase, String seedOverride, Clock clock,
                                SecureRandom random) throws IOException {
        return open(config, ClientAuth.parse(null, config.host()), passphrase, seedOverride, clock, random);
    }

    /** Like {@link #open(CaConfig, char[], String, Clock, SecureRandom)}, recording audit events in {@code audit}. */
    public static CaServer open(CaConfig config, char[] passphrase, String seedOverride, Clock clock,
                                SecureRandom random, AuditLog audit) throws IOException {
        return open(config, ClientAuth.parse(null, config.host()), passphrase, seedOverride, clock, random, audit);
    }

    /** As {@link #open(CaConfig, ClientAuth, char[], String, Clock, SecureRandom, AuditLog)}, auditing to the log only. */
    public static CaServer open(CaConfig config, ClientAuth clientAuth, char[] passphrase, String seedOverride,
                                Clock clock, SecureRandom random) throws IOException {
        return open(config, clientAuth, passphrase, seedOverride, clock, random,
                new AuditLog(AuditTrail.logOnly("ca-server", clock)));
    }

    /**
     * Loads the CA with an explicit client authentication, recording audit events in {@code audit}.
     *
     * @throws IllegalArgumentException for {@code none} on an address that is not loopback
     */
    public static CaServer open(CaConfig config, ClientAuth clientAuth, char[] passphrase, String seedOverride,
                                Clock clock, SecureRandom random, AuditLog audit) throws IOException {
        return open(config, clientAuth, new CaKeyAccess(passphrase, null, null), seedOverride, clock, random, audit,
                null, null);
    }

    /**
     * Loads the CA whose key is reached through {@code keys} (a file, or a PKCS#11 token), with its state
     * in {@code store} (null: the SQLite file of the data directory).
     *
     * @param storePassword the PostgreSQL password, or null
     * @throws IllegalStateException when the key, its token or the intermediate's chain is unusable
     */
    public static CaServer open(CaConfig config, ClientAuth clientAuth, CaKeyAccess keys, String seedOverride,
                                Clock clock, SecureRandom random, AuditLog audit, StoreLocation store,
                                char[] storePassword) throws IOException {
        if (keys == null) {
            keys = new CaKeyAccess(null, null, null); // an unencrypted key file
        }
        char[] passphrase = keys.passphrase();
        clientAuth.checkBind(config.host());
        CaFiles files = new CaFiles(config.dataDir());
        StoreLocation location = store != null ? store : StoreLocation.sqlite(files.database());
        // Every CA has its CURVE key pair, whatever the mode, so that switching to curve needs no step.
        CurveKeys curveKeys = CaCurveKey.loadOrCreate(files);
        CaGenerations generations = CaLoader.loadGenerations(files, passphrase, keys.pkcs11(), clock);
        CertificateAuthority ca = generations.current().ca();
        RegistrationSeed seed = loadSeed(files, seedOverride, random);
        ProfileRegistry profiles = ProfileRegistry.load(files.profiles());
        WireCodec codec = new WireCodec();

        Database database = location.open(storePassword);
        JdbcCertificateRepository certificates = new JdbcCertificateRepository(database);
        try {
            GenerationWatch.checkStoreKnown(generations, certificates);
        } catch (IllegalStateException e) {
            database.close();
            throw e;
        }
        GenerationWatch.retireExpired(generations, certificates, clock);
        CertificateIssuer issuer = new CertificateIssuer(generations, clock, config.crlUrl(), config.ocspUrl())
                .withCaIssuers(keys.caIssuersUrl());
        SigningStore signing = new SigningStore(issuer, certificates, ca.signaturesRepeat(), clock);
        int restored = signing.recover();
        if (restored > 0) {
            audit.record("recover", "ok", "certificates", restored);
        }
        IssuanceService issuance = new IssuanceService(ca, profiles, issuer, signing, new SerialNumbers(random),
                new KeyPairs(random), files.privateKeys(), audit);
        ZContext zmq = ZmqContexts.open("ca-server");
        // The feed and the CRL service refer to each other (events announce CRLs; the heartbeat reads the
        // CRL state), so the heartbeat goes through a holder filled right after.
        AtomicReference<CrlServices> crlHolder = new AtomicReference<>();
        EventFeed events = new EventFeed(zmq, config.endpoint(config.eventsPort()), codec,
                () -> crlHolder.get().state(), HEARTBEAT);
        CurveKeys serverKeys = clientAuth == ClientAuth.CURVE ? curveKeys : null;
        if (serverKeys != null) {
            events.curve(serverKeys, ZapHandler.EVENTS);
        }
        // Each generation's CRL body has its own folder (SQLite): the first keeps crl/, as before rollover.
        CrlServices crls = new CrlServices(generations, certificates, n -> new JdbcCrlRepository(database,
                location.shared() ? null : n == 1 ? files.crls() : files.crls().resolve("g" + n), n),
                config.crlValidity(), clock, audit, crl -> events.publish(CaEvent.crl(crl.number())), delta -> {
                    // Subscribers take frames up to 64 KiB: a larger delta reaches the publisher in its answer only.
                    if (delta.der().length <= MAX_DELTA_EVENT_BYTES) {
                        events.publish(CaEvent.delta(delta.number(), delta.base(), delta.der()));
                    }
                });
        crlHolder.set(crls);
        RevocationService revocation = new RevocationService(certificates, clock, audit, new RevocationService.Listener() {
            @Override
            public void revoked(CertificateRecord record, RevocationReason reason, Instant at) {
                crls.revoked(record.generation(), new RevokedEntry(record.serial(), at, reason));
                events.publish(CaEvent.revoked(record.serial(), reason.wireName()));
            }

            @Override
            public void unrevoked(CertificateRecord record) {
                crls.unrevoked(record.generation(), record.serial());
                events.publish(CaEvent.unrevoked(record.serial()));
            }
        });
        CertificateInspector inspector = new CertificateInspector(generations, certificates, clock);
        ClientRegistry clients = new ClientRegistry(new JdbcClientRepository(database), clock, audit);
        AccessPolicy access = new AccessPolicy(clientAuth, clients, profiles, audit);
        ZapHandler zap = serverKeys == null ? null : new ZapHandler(zmq, clients, audit);
        RegistrationService registrationService = new RegistrationService(seed, issuance,
                new JdbcNodeRepository(database), () -> generations.current().ca(), clock, access);
        CaMetrics metrics = new CaMetrics(profiles, certificates, () -> generations.all().stream()
                .map(g -> crls.service(g.number())).filter(java.util.Objects::nonNull).toList(), clock);
        CaRoutes routes = new CaRoutes(generations, profiles, issuance, revocation, crls,
                new AdminService(new JdbcAdminRepository(database), audit), new CertificateLookup(certificates),
                inspector, registrationService, new CsrRenewal(issuance, revocation, certificates, clock), audit, access)
                .timedBy(metrics);

        Lanes lanes = Lanes.forCores(Runtime.getRuntime().availableProcessors());
        int regPort = config.registrationPort();
        ZmqFrontend ops = new ZmqFrontend(zmq, config.endpoint(config.port()), routes.operations(codec), lanes,
                serverKeys, ZapHandler.OPERATIONS, access);
        ZmqFrontend reg = new ZmqFrontend(zmq, config.endpoint(regPort), routes.registration(codec), lanes,
                serverKeys, ZapHandler.REGISTRATION, access);
        CaServer server = new CaServer(config, database, zmq, lanes, signing, ops, reg, events, crls, zap, clientAuth,
                curveKeys.publicKey());
        server.metrics = metrics;
        server.issuance = issuance;
        server.readiness = new CaReadiness(database, () -> generations.current().ca(), crls::currentService, clock,
                READINESS_TTL);
        server.generationWatch = new GenerationWatch(files, generations, crls, certificates, keys, clock, audit);
        return server;
    }

    private static RegistrationSeed loadSeed(CaFiles files, String override, SecureRandom random) throws IOException {
        if (override != null && !override.isEmpty()) {
            if (!Files.exists(files.seedHash()) || !RegistrationSeed.load(files.seedHash()).matches(override)) {
                LOG.info("registration seed set from the environment or command line replaces the stored one");
                RegistrationSeed.of(override, random).save(files.seedHash());
            }
        }
        if (!Files.exists(files.seedHash())) {
            throw new IllegalStateException("no registration seed in " + files.dataDir()
                    + ": give one with --seed or UPKI_CA_SEED");
        }
        return RegistrationSeed.load(files.seedHash());
    }

    /** Binds both ports; the CA answers from here on. */
    public void start() {
        if (zap != null) {
            // Before any CURVE socket binds: without a ZAP handler JeroMQ would admit every client key.
            zap.start();
        }
        // Events first: a subscriber must be able to connect before the first change is announced.
        eventsPort = events.start();
        // A rollover installed while the CA runs is taken over within a second (docs/KEYS.md).
        generationWatch.start();
        port = operations.start();
        try {
            registrationPort = registration.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("CA listening: operations {} registration {} events {} (data {}, store {}, client auth {})",
                config.endpoint(port), config.endpoint(registrationPort), config.endpoint(eventsPort), config.dataDir(),
                database.describe(), clientAuth.wireName());
    }

    /**
     * Issues a certificate for a key the CA makes, without serving ({@code ca-server issue}): the
     * provisioning step of deployments whose services cannot enrol themselves (Traefik's proxy
     * certificate). The key is returned, never kept by the CA.
     */
    public IssuanceService.Issued issueWithNewKey(String cn, String profile, List<SubjectAltName> sans) {
        return issuance.issueWithNewKey("issue", cn, profile, sans, false);
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The CA's CURVE public key (Z85), also in {@code curve.pub}. */
    public String curvePublicKey() {
        return curvePublicKey;
    }

    public int port() {
        return port;
    }

    /**
     * Starts the operations listener ({@code /health}, {@code /ready}, {@code /metrics}) on {@code address}
     * and the periodic count of certificates expiring soon.
     *
     * @return the bound port
     */
    public synchronized int startOps(InetSocketAddress address) throws IOException {
        metrics.bindReadiness(readiness);
        opsTimer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ca-ops-timer"));
        opsTimer.scheduleWithFixedDelay(() -> {
            try {
                metrics.refreshExpiring();
            } catch (RuntimeException e) {
                LOG.warn("cannot count the certificates expiring soon: {}", e.getMessage());
            }
        }, 0, EXPIRY_REFRESH.toSeconds(), TimeUnit.SECONDS);
        opsServer = OpsServer.start("ca", address, readiness, metrics::scrape);
        LOG.info("CA operations listener on http://{}:{} (/health, /ready, /metrics)", address.getHostString(),
                opsServer.port());
        return opsServer.port();
    }

    /** Counts the certificates expiring soon now (tests; the listener does it every minute). */
    public void refreshExpiryMetrics() {
        metrics.refreshExpiring();
    }

    /** Closes {@code resource} once the CA has stopped (the active lock of a shared store). */
    public synchronized void closeAfter(AutoCloseable resource) {
        closeAfter.add(resource);
    }

    public int registrationPort() {
        return registrationPort;
    }

    public int eventsPort() {
        return eventsPort;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (opsServer != null) {
            opsServer.close();
            opsTimer.shutdownNow();
        }
        generationWatch.close();
        operations.stopAccepting();
        registration.stopAccepting();
        try {
            if (!lanes.drain(Duration.ofSeconds(20))) {
                LOG.warn("some tasks did not finish within 20 s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        operations.close();
        registration.close();
        events.close();
        if (zap != null) {
            zap.close();
        }
        lanes.close();
        signing.close(); // after the lanes: a sign still running hands its reservation to its writer
        zmq.close();
        crls.close();
        database.close();
        metrics.close();
        for (AutoCloseable resource : closeAfter) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("cannot close {}: {}", resource, e.getMessage());
            }
        }
        LOG.info("CA stopped");
    }
}
