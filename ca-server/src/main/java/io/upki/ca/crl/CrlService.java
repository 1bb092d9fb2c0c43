package io.upki.ca.crl;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.store.CertificateRepository;
import io.upki.ca.store.CrlRepository;
import io.upki.ca.store.RevokedEntry;
import io.upki.ca.store.StoredCrl;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.wire.CaEvent;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs CRLs and keeps the current one. Each CRL gets the next CRL Number, reserved durably before the
 * CRL leaves the CA, so numbers only grow (RFC 5280 section 5.2.3); only one CRL is built at a time.
 * The CRL's body is stored after it was handed out, by a writer thread that always stores the newest
 * (megabytes at 100,000 entries; a revocation should not wait for them to reach the disk).
 *
 * <p>Each CRL after the first comes with a delta CRL of the same number (RFC 5280 section 5.2.4) listing
 * only what was revoked since a base CRL, so that the publisher can push a revocation to every edge in a
 * few hundred bytes instead of making each fetch megabytes. The base moves to the newest CRL when the
 * delta would pass {@link #MAX_DELTA_ENTRIES} or a hold was lifted (upki issues no removeFromCRL entries).
 */
public final class CrlService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CrlService.class);
    /** Beyond this many entries a delta is no longer small: the next CRL becomes the new base instead. */
    static final int MAX_DELTA_ENTRIES = 2048;

    private final CertificateAuthority ca;
    private final CrlRepository crls;
    private final Duration validity;
    private final Clock clock;
    private final AuditLog audit;
    private final Consumer<StoredCrl> published;
    private final Consumer<DeltaCrl> deltaSigned;
    private final ReentrantLock lock = new ReentrantLock();
    private final RevokedList revoked;
    private volatile StoredCrl current;
    /** The delta issued with {@link #current}, or null when that CRL became a new base. */
    private volatile DeltaCrl currentDelta;
    /** The number of the complete CRL the next deltas add to (guarded by {@link #lock}); null before the first. */
    private BigInteger deltaBase;
    private final AtomicReference<StoredCrl> unwritten = new AtomicReference<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(DaemonThreads.named("crl-writer"));
    private BigInteger lastWritten;
    /** A revocation or lifted hold is not in the current CRL yet. */
    private volatile boolean stale;
    /** Entries of the latest CRL signed by this process; -1 for one loaded from the store. */
    private volatile int latestEntries = -1;

    /**
     * @param validity time from thisUpdate to nextUpdate
     * @param published told of every new CRL once it is stored
     */
    public CrlService(CertificateAuthority ca, CertificateRepository certificates, CrlRepository crls,
                      Duration validity, Clock clock, AuditLog audit, Consumer<StoredCrl> published) {
        this(ca, certificates.revokedEntries(), crls, validity, clock, audit, published);
    }

    /**
     * The CRL of one issuing-key generation.
     *
     * @param stored the revoked certificates that generation signed, as the store holds them
     */
    public CrlService(CertificateAuthority ca, List<RevokedEntry> stored, CrlRepository crls,
                      Duration validity, Clock clock, AuditLog audit, Consumer<StoredCrl> published) {
        this(ca, stored, crls, validity, clock, audit, published, delta -> { });
    }

    /**
     * @param deltaSigned told of each delta CRL as soon as it is signed, before the complete CRL of the
     *     same number (megabytes at scale) is encoded and signed
     */
    public CrlService(CertificateAuthority ca, List<RevokedEntry> stored, CrlRepository crls,
                      Duration validity, Clock clock, AuditLog audit, Consumer<StoredCrl> published,
                      Consumer<DeltaCrl> deltaSigned) {
        this.deltaSigned = deltaSigned;
        this.ca = ca;
        this.crls = crls;
        this.validity = validity;
        this.clock = clock;
        this.audit = audit;
        this.published = published;
        StoredCrl latest = crls.latest().orElse(null);
        // A crash after a CRL was handed out but before its body was stored: its number is used, so the
        // stored body is not the current CRL any more; the next request for one makes a new CRL.
        this.current = latest != null && latest.number().equals(crls.lastOwnNumber()) ? latest : null;
        this.lastWritten = latest == null ? null : latest.number();
        this.revoked = new RevokedList(stored);
        // After a restart: stale when a revocation is not older than the stored CRL (to the second).
        Instant newest = stored.stream().map(RevokedEntry::revokedAt).max(Instant::compareTo).orElse(null);
        this.stale = newest != null && (current == null
                || !newest.truncatedTo(ChronoUnit.SECONDS).isBefore(current.thisUpdate()));
    }

    /** The heartbeat of the event feed: the current CRL's number and whether a revocation waits for a CRL. */
    public CaEvent state() {
        StoredCrl crl = current;
        return CaEvent.state(crl == null ? null : crl.number(), stale);
    }

    /**
     * Adds a revocation the store has just committed. Call it before the revocation is acknowledged or
     * announced, so every CRL generated after either lists the certificate.
     */
    public void revoked(RevokedEntry entry) {
        revoked.add(entry);
        stale = true;
    }

    /** Drops a certificate whose hold was just lifted in the store. */
    public void unrevoked(BigInteger serial) {
        revoked.remove(serial);
        stale = true;
    }

    /** Entries of {@link #latest()}, or -1 when it was loaded from the store rather than signed since start. */
    public int latestEntries() {
        return latestEntries;
    }

    /** The issuer of the CRLs, as an RFC 2253 DN (the metrics' issuer label). */
    public String issuerName() {
        return ca.certificate().getSubjectX500Principal().getName();
    }

    /** The latest CRL signed, as it is (maybe past its nextUpdate), or null before the first: for readiness and metrics. */
    public StoredCrl latest() {
        return current;
    }

    /** The delta CRL issued with {@link #latest()}, or null when that one is a new base (or was loaded). */
    public DeltaCrl latestDelta() {
        DeltaCrl delta = currentDelta;
        StoredCrl crl = current;
        return delta != null && crl != null && delta.number().equals(crl.number()) ? delta : null;
    }

    /** The current CRL; a new one is signed when there is none or it has passed its nextUpdate. */
    public StoredCrl current() {
        StoredCrl crl = current;
        if (crl != null && clock.instant().isBefore(crl.nextUpdate())) {
            return crl;
        }
        lock.lock();
        try {
            crl = current;
            if (crl != null && clock.instant().isBefore(crl.nextUpdate())) {
                return crl;
            }
            return generateLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Signs, stores and returns a new CRL listing every revoked certificate. */
    public StoredCrl generate() {
        lock.lock();
        try {
            return generateLocked();
        } finally {
            lock.unlock();
        }
    }

    private StoredCrl generateLocked() {
        long started = System.nanoTime();
        BigInteger number = crls.lastNumber().add(BigInteger.ONE);
        Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant nextUpdate = thisUpdate.plus(validity);
        crls.reserve(number, thisUpdate, nextUpdate);
        long reserved = System.nanoTime();
        // Cleared before the entries are read: a revocation meanwhile sets it again and gets its own CRL.
        stale = false;
        RevokedList.Read read = revoked.read(MAX_DELTA_ENTRIES);
        int entries = read.entries();
        DeltaCrl delta = null;
        if (read.sinceBase() != null && deltaBase != null) {
            // The delta first, and out at once: it is what reaches the edges; the complete CRL follows it.
            delta = new DeltaCrl(number, deltaBase, read.deltaEntries(), CrlEncoder.encode(ca, number, deltaBase,
                    thisUpdate, nextUpdate, read.sinceBase(), digestFor()));
            deltaSigned.accept(delta);
        } else {
            deltaBase = number;
        }
        byte[] der = CrlEncoder.encode(ca, number, thisUpdate, nextUpdate, read.all(), digestFor());
        long signed = System.nanoTime();
        StoredCrl crl = new StoredCrl(number, thisUpdate, nextUpdate, der);
        latestEntries = entries;
        currentDelta = delta;
        current = crl;
        audit.record("generate_crl", "ok", "number", number, "entries", entries, "bytes", der.length,
                "delta_base", delta == null ? "-" : delta.base(), "delta_entries", delta == null ? "-" : delta.entries(),
                "next_update", nextUpdate, "ms", (signed - started) / 1_000_000,
                "reserve_ms", (reserved - started) / 1_000_000, "sign_ms", (signed - reserved) / 1_000_000);
        published.accept(crl);
        unwritten.set(crl);
        writer.execute(this::writeNewest);
        return crl;
    }

    /** Stores the newest CRL not stored yet; older ones that were overtaken are skipped. */
    private void writeNewest() {
        StoredCrl crl = unwritten.getAndSet(null);
        if (crl == null || (lastWritten != null && crl.number().compareTo(lastWritten) <= 0)) {
            return;
        }
        try {
            long started = System.nanoTime();
            crls.saveBody(crl);
            lastWritten = crl.number();
            LOG.debug("stored CRL {} in {} ms", crl.number(), (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            // Not fatal: its number is reserved, and after a restart a new CRL replaces it.
            LOG.error("cannot store CRL {}: {}", crl.number(), e.getMessage());
        }
    }

    /** Waits for the newest CRL's body to be stored. */
    @Override
    public void close() {
        writer.shutdown();
        if (!DaemonThreads.drain(writer, Duration.ofSeconds(30))) {
            LOG.warn("the latest CRL was not stored within 30 s of shutdown");
        }
    }

    private String digestFor() {
        // An EC P-384 CA signs with SHA-384, matching the strength of its key.
        return ca.certificate().getSigAlgName().toUpperCase().startsWith("SHA384") ? "sha384" : "sha256";
    }

}
