package io.upki.pki.relying;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.upki.pki.admins.AdminDirectory;
import io.upki.pki.admins.AdminRefresher;
import io.upki.pki.assertion.Identity;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlNumberFloor;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.crlfeed.CaCrlFallback;
import io.upki.pki.crlfeed.CrlPushListener;
import io.upki.pki.crlfeed.CrlSources;
import io.upki.pki.crlfeed.CrlState;
import io.upki.pki.crlfeed.FeedHealth;
import io.upki.pki.crlfeed.PublisherWatch;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Purpose;
import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.Role;
import io.upki.pki.trust.VerifiedPath;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.SubjectFormat;
import io.upki.pki.x509.UpkiRole;
import java.io.IOException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A relying party's client-certificate trust: owns the CRL feed and the administrator list built from a
 * {@link TrustConfig}, and decides a presented chain in four readable steps, {@link #path} (to a trust
 * anchor, for clientAuth), then in {@link #admit} validity, revocation and role.
 *
 * <p>Only the first step is expensive and its result does not depend on time, CRLs or the admin list,
 * so a caller may have it remembered under a key of its choosing ({@link #path(String, List)}); the
 * other steps run on every request. A new CRL or admin list also drops every remembered path.
 */
public final class TrustPipeline implements AutoCloseable {
    /** Replaced when the CA names a new issuing certificate (key rollover); every request reads it once. */
    private volatile ChainVerifier chains;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrustPipeline.class);
    private final TrustConfig config;
    private final CrlNumberFloor floor;
    /** The last chain that did not fit the anchors, logged once. */
    private List<X509Certificate> refusedChain;
    private final CrlState crls;
    private final CrlSources sources;
    private final AdminDirectory admins;
    private final Cache<String, TrustedClient> paths;
    private final Clock clock;
    private final Duration grace;
    private final List<AutoCloseable> running;
    private final PublisherWatch watch;
    private final CaCrlFallback fallback;

    private TrustPipeline(ChainVerifier chains, CrlState crls, CrlSources sources, AdminDirectory admins,
                          Cache<String, TrustedClient> paths, Clock clock, Duration grace, List<AutoCloseable> running,
                          PublisherWatch watch, CaCrlFallback fallback, TrustConfig config, CrlNumberFloor floor) {
        this.config = config;
        this.floor = floor;
        this.watch = watch;
        this.fallback = fallback;
        this.chains = chains;
        this.crls = crls;
        this.sources = sources;
        this.admins = admins;
        this.paths = paths;
        this.clock = clock;
        this.grace = grace;
        this.running = running;
    }

    /**
     * Builds the pipeline and starts following its CRL feed and admin list.
     *
     * @throws IOException when the CRL number file or the admin file cannot be read
     */
    public static TrustPipeline start(TrustConfig config, Clock clock) throws IOException {
        ChainVerifier chains = new ChainVerifier(config.anchors(), config.intermediates(), clock);
        // Maintenance (eviction, expiry) on the calling thread: by default Caffeine hands it to the
        // common pool after writes, a thread wake-up per new client that a two-core machine pays in
        // context switches on the cold path.
        Cache<String, TrustedClient> paths = Caffeine.newBuilder().maximumSize(config.pathCacheSize())
                .expireAfterAccess(Duration.ofMinutes(10)).executor(Runnable::run).recordStats().build();
        // The cache exists before anything that reports changes to it: no object needs a later reference.
        Runnable changed = paths::invalidateAll;
        TrustConfig.CrlFeed feed = config.crls();
        // The highest CRL number per issuer survives restarts, so an older, still valid CRL cannot undo revocations.
        CrlNumberFloor floor = feed.numbersFile() == null ? CrlNumberFloor.inMemory() : CrlNumberFloor.open(feed.numbersFile());
        CrlState crls = new CrlState(new CrlAcceptor(chains.trustedCas(), clock, config.grace(), floor), clock,
                chains.trustedCas(), changed);
        AdminDirectory admins = new AdminDirectory(changed);
        List<AutoCloseable> running = new ArrayList<>();
        try {
            if (config.admins() instanceof AdminSource.FromFile f) {
                running.add(AdminRefresher.fromFile(f.file(), admins, f.refresh()));
            } else if (config.admins() instanceof AdminSource.FromCa c) {
                running.add(AdminRefresher.fromCa(c.ca(), admins, c.refresh()));
            }
            CrlSources sources = new CrlSources(crls, feed.locations(), feed.poll(), feed.holder());
            running.add(sources);
            sources.start();
            // Every publisher is followed; a CRL is accepted from whichever delivers it first, and CrlState
            // refuses the same or an older number from the others.
            PublisherWatch watch = new PublisherWatch(clock, feed.events());
            for (java.net.URI events : feed.events()) {
                CrlPushListener push = new CrlPushListener(events, sources, watch);
                running.add(push);
                push.start();
            }
            CaCrlFallback fallback = null;
            if (feed.fallback() != null) {
                TrustConfig.CaFallback f = feed.fallback();
                fallback = new CaCrlFallback(f.ca(), f.events(), f.curve(), watch, f.after(), crls);
                running.add(0, fallback);
                fallback.start();
            }
            TrustPipeline pipeline = new TrustPipeline(chains, crls, sources, admins, paths, clock, config.grace(), running,
                    watch, fallback, config, floor);
            CertificateAuthorityClient ca = feed.fallback() != null ? feed.fallback().ca()
                    : config.admins() instanceof AdminSource.FromCa c ? new io.upki.pki.caclient.TypedCaClient(c.ca()) : null;
            if (ca != null) {
                IssuerFollower follower = new IssuerFollower(ca, ISSUER_POLL, pipeline::learn);
                crls.onUnknownIssuer(follower::nudge);
                running.add(0, follower);
                follower.start();
            }
            return pipeline;
        } catch (IOException | RuntimeException e) {
            closeAll(running);
            throw e;
        }
    }

    /** How often the CA's issuing certificates are read again (also at once on a CRL from an unknown issuer). */
    static final Duration ISSUER_POLL = Duration.ofSeconds(10);

    /**
     * The CA's chain as {@code get_ca_chain} answers it: every issuing certificate in it that chains to a
     * configured anchor is trusted from now on, beside the configured intermediates (a CA that rolled its
     * key over names both generations until the earlier one's last certificate expires). A chain that
     * does not fit the anchors changes nothing.
     */
    synchronized void learn(List<X509Certificate> caChain) {
        List<X509Certificate> wanted = new ArrayList<>(config.intermediates());
        for (X509Certificate c : caChain) {
            if (!config.anchors().contains(c) && !wanted.contains(c)) {
                wanted.add(c);
            }
        }
        ChainVerifier now = chains;
        List<X509Certificate> have = now.trustedCas();
        if (have.size() == config.anchors().size() + wanted.size() && have.containsAll(wanted)) {
            return;
        }
        ChainVerifier next;
        try {
            next = new ChainVerifier(config.anchors(), wanted, clock);
        } catch (IllegalArgumentException e) {
            if (!caChain.equals(refusedChain)) {
                refusedChain = caChain;
                LOG.warn("the CA's chain is not taken: {}", e.getMessage());
            }
            return;
        }
        chains = next;
        crls.retrust(new CrlAcceptor(next.trustedCas(), clock, config.grace(), floor), next.trustedCas());
        paths.invalidateAll();
        LOG.info("trusted CAs now {}", next.trustedCas().stream()
                .map(c -> c.getSubjectX500Principal().getName()).toList());
        // CRLs of a new issuer may have been refused before it was trusted: fetch them again.
        sources.refetchAll();
    }

    /** Decides {@code presented} (leaf first) in every step. */
    public Identity verify(List<X509Certificate> presented) throws RefusedException {
        return admit(path(presented));
    }

    /**
     * Step 1, path: a chain from the leaf to a trust anchor, every signature, extension and the clientAuth
     * purpose checked (RFC 5280 section 6), and the leaf's fixed facts read from it.
     */
    public TrustedClient path(List<X509Certificate> presented) throws RefusedException {
        VerifiedPath path = chains.verify(presented, Purpose.CLIENT_AUTH);
        X509Certificate leaf = path.leaf();
        return new TrustedClient(path, SubjectFormat.rfc4514(leaf.getSubjectX500Principal()),
                DistinguishedNames.canonicalKey(CertificateFacts.subject(leaf)),
                leaf.getSerialNumber().toString(16), CertificateFacts.sha256Fingerprint(leaf),
                UpkiRole.ADMIN.heldBy(leaf));
    }

    /** Step 1 as above, remembered under {@code key} (the caller's digest of what it was sent) unless that is null. */
    public TrustedClient path(String key, List<X509Certificate> presented) throws RefusedException {
        TrustedClient client = path(presented);
        if (key != null) {
            paths.put(key, client);
        }
        return client;
    }

    /** The path remembered under {@code key}, or null: the caller then reads the chain and calls {@link #path(String, List)}. */
    public TrustedClient remembered(String key) {
        return paths.getIfPresent(key);
    }

    /** Steps 2 to 4 on a verified path, against the clock, CRLs and admin list of this moment. */
    public Identity admit(TrustedClient client) throws RefusedException {
        Instant now = clock.instant();
        checkValidity(client.path(), now);
        RevocationIndex index = crls.current();
        index.check(client.path(), now, grace);
        Role role = role(client);
        // The CRL number of the leaf's issuer: what the revocation check relied on, passed on in assertions.
        String crlNumber = index.snapshotFor(client.path().certificates().get(1)).number().toString();
        return new Identity(client.subject(), client.serialHex(), client.fingerprint(), role, crlNumber);
    }

    /**
     * Step 2, validity: every certificate of the path at {@code now} (RFC 5280 section 4.1.2.5), again
     * for a remembered path, which may have been verified hours ago.
     */
    private static void checkValidity(VerifiedPath path, Instant now) throws RefusedException {
        Date date = Date.from(now);
        for (X509Certificate cert : path.certificates()) {
            try {
                cert.checkValidity(date);
            } catch (CertificateExpiredException e) {
                throw new RefusedException(Refusal.EXPIRED, cert.getSubjectX500Principal() + " expired");
            } catch (CertificateNotYetValidException e) {
                throw new RefusedException(Refusal.NOT_YET_VALID, cert.getSubjectX500Principal() + " not yet valid");
            }
        }
    }

    /** Step 4, role: the CA's admin marker, or the subject on the current admin list. */
    private Role role(TrustedClient client) {
        return client.adminMarker() || admins.contains(client.subjectKey()) ? Role.ADMIN : Role.CLIENT;
    }

    /** The CAs (anchors and intermediates) client certificates and CRLs chain to. */
    public ChainVerifier chains() {
        return chains;
    }

    /** The CRLs in force (also for checking peers: proxies, assertion signers). */
    public CrlState crls() {
        return crls;
    }

    public AdminDirectory admins() {
        return admins;
    }

    /** The remembered paths, for their size and hit ratio. */
    public Cache<String, TrustedClient> pathCache() {
        return paths;
    }

    /** Every trusted CA has a CRL that is current now: before that, every client is refused. */
    public boolean ready() {
        return crls.ready();
    }

    /** Whether the crl-publishers answer, or CRLs come from the CA (degraded), or from nowhere new. */
    public FeedHealth feedHealth() {
        int configured = watch.channels().size();
        int answering = watch.answering().size();
        FeedHealth.Mode mode;
        if (fallback != null && fallback.active()) {
            mode = FeedHealth.Mode.CA_FALLBACK;
        } else if (configured == 0) {
            mode = FeedHealth.Mode.NOT_WATCHED;
        } else {
            mode = answering > 0 ? FeedHealth.Mode.PUBLISHERS : FeedHealth.Mode.NO_PUBLISHER;
        }
        return new FeedHealth(mode, configured, answering, fallback != null);
    }

    /** Re-reads CRL files and URLs now. */
    public void refreshCrls() {
        sources.refreshNow();
    }

    @Override
    public void close() {
        closeAll(running);
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // shutting down: nothing more to do
            }
        }
    }
}
