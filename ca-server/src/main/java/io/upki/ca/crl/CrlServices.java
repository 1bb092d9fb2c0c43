package io.upki.ca.crl;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CaGenerations;
import io.upki.ca.store.CertificateRepository;
import io.upki.ca.store.CrlRepository;
import io.upki.ca.store.RevokedEntry;
import io.upki.ca.store.StoredCrl;
import io.upki.pki.wire.CaEvent;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * One {@link CrlService} per live issuing-key generation (docs/KEYS.md, rollover): each generation signs
 * the CRL of the certificates it issued (RFC 5280 section 5: a CRL covers one issuer's certificates),
 * until it is retired with its last certificate. Revocations go to the CRL of the certificate's own
 * generation; what is asked without a generation (uPKI's {@code get_crl}) is the current one's.
 */
public final class CrlServices implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CrlServices.class);
    private final CaGenerations generations;
    private final CertificateRepository certificates;
    private final IntFunction<CrlRepository> repositories;
    private final Duration validity;
    private final Clock clock;
    private final AuditLog audit;
    private final Consumer<StoredCrl> published;
    private final Map<Integer, CrlService> services = new ConcurrentHashMap<>();
    private final Consumer<DeltaCrl> deltaSigned;

    /**
     * @param repositories the CRL repository of a generation, by number
     * @param published told of every new CRL of any generation
     */
    public CrlServices(CaGenerations generations, CertificateRepository certificates,
                       IntFunction<CrlRepository> repositories, Duration validity, Clock clock, AuditLog audit,
                       Consumer<StoredCrl> published) {
        this(generations, certificates, repositories, validity, clock, audit, published, delta -> { });
    }

    /** @param deltaSigned told of each delta CRL of the current generation as soon as it is signed */
    public CrlServices(CaGenerations generations, CertificateRepository certificates,
                       IntFunction<CrlRepository> repositories, Duration validity, Clock clock, AuditLog audit,
                       Consumer<StoredCrl> published, Consumer<DeltaCrl> deltaSigned) {
        this.deltaSigned = deltaSigned;
        this.generations = generations;
        this.certificates = certificates;
        this.repositories = repositories;
        this.validity = validity;
        this.clock = clock;
        this.audit = audit;
        this.published = published;
        for (CaGenerations.Generation g : generations.all()) {
            services.put(g.number(), create(g));
        }
    }

    private CrlService create(CaGenerations.Generation g) {
        // Only the current generation's deltas go out: publishers check them against the current CA.
        return new CrlService(g.ca(), certificates.revokedEntries(g.number()), repositories.apply(g.number()),
                validity, clock, audit, published, delta -> {
                    if (generations.current().number() == g.number()) {
                        deltaSigned.accept(delta);
                    }
                });
    }

    /** A new generation became current: it gets its CRL service (its first CRL is signed on first request). */
    public void activated(CaGenerations.Generation g) {
        services.computeIfAbsent(g.number(), n -> create(g));
    }

    /** An earlier generation was retired: its CRL is no longer signed. */
    public void retired(int number) {
        CrlService s = services.remove(number);
        if (s != null) {
            s.close();
        }
    }

    /** The current generation's CRL service (metrics, readiness, uPKI's {@code get_crl}). */
    public CrlService currentService() {
        return services.get(generations.current().number());
    }

    /** Generation {@code number}'s CRL service, or null when that generation is not live. */
    public CrlService service(int number) {
        return services.get(number);
    }

    /** The current generation's current CRL. */
    public StoredCrl current() {
        return currentService().current();
    }

    /** Signs a new CRL for every live generation; returns the current generation's. */
    public StoredCrl generate() {
        StoredCrl current = null;
        int now = generations.current().number();
        for (CaGenerations.Generation g : generations.all()) {
            CrlService s = services.get(g.number());
            if (s == null) {
                continue;
            }
            StoredCrl crl = s.generate();
            if (g.number() == now) {
                current = crl;
            }
        }
        return current;
    }

    /**
     * Signs a new CRL for every live generation; returns the delta CRL issued with the current
     * generation's, or null when that CRL became a new delta base.
     */
    public DeltaCrl generateDelta() {
        generate();
        return currentService().latestDelta();
    }

    /** The delta CRL issued with the current generation's current CRL, or null when there is none. */
    public DeltaCrl currentDelta() {
        CrlService s = currentService();
        s.current(); // signs one when none is current, as get_crl does
        return s.latestDelta();
    }

    /** Adds a revocation to the CRL of the generation that signed the certificate. */
    public void revoked(int generation, RevokedEntry entry) {
        CrlService s = services.get(generation);
        if (s != null) {
            s.revoked(entry);
        } else {
            // A retired generation's certificates have all expired: no relying party accepts them anyway.
            LOG.warn("revoked certificate {} of CA generation {}, which signs no CRL any more", entry.serial().toString(16),
                    generation);
        }
    }

    public void unrevoked(int generation, BigInteger serial) {
        CrlService s = services.get(generation);
        if (s != null) {
            s.unrevoked(serial);
        }
    }

    /**
     * The heartbeat of the event feed: the highest CRL number of any generation (the numbers are one
     * sequence, so it grows whichever generation signed) and whether any revocation waits for a CRL.
     */
    public CaEvent state() {
        BigInteger highest = null;
        boolean stale = false;
        for (CrlService s : new ArrayList<>(services.values())) {
            CaEvent st = s.state();
            stale |= st.stale() != null && st.stale();
            StoredCrl latest = s.latest();
            if (latest != null && (highest == null || latest.number().compareTo(highest) > 0)) {
                highest = latest.number();
            }
        }
        return CaEvent.state(highest, stale);
    }

    /** Every live generation's number, ascending. */
    public List<Integer> numbers() {
        return generations.all().stream().map(CaGenerations.Generation::number).toList();
    }

    @Override
    public void close() {
        services.values().forEach(CrlService::close);
    }
}
