package io.upki.ca.crl;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.store.CertificateRepository;
import io.upki.ca.store.CrlRepository;
import io.upki.ca.store.RevokedEntry;
import io.upki.ca.store.StoredCrl;
import io.upki.pki.wire.CaEvent;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Signs CRLs and keeps the current one. Each CRL gets the next CRL Number, persisted with it, so
 * numbers only grow (RFC 5280 section 5.2.3); only one CRL is built at a time.
 */
public final class CrlService {
    private final CertificateAuthority ca;
    private final CrlRepository crls;
    private final Duration validity;
    private final Clock clock;
    private final AuditLog audit;
    private final Consumer<StoredCrl> published;
    private final ReentrantLock lock = new ReentrantLock();
    private final RevokedList revoked;
    private volatile StoredCrl current;
    /** A revocation or lifted hold is not in the current CRL yet. */
    private volatile boolean stale;

    /**
     * @param validity time from thisUpdate to nextUpdate
     * @param published told of every new CRL once it is stored
     */
    public CrlService(CertificateAuthority ca, CertificateRepository certificates, CrlRepository crls,
                      Duration validity, Clock clock, AuditLog audit, Consumer<StoredCrl> published) {
        this.ca = ca;
        this.crls = crls;
        this.validity = validity;
        this.clock = clock;
        this.audit = audit;
        this.published = published;
        this.current = crls.latest().orElse(null);
        List<RevokedEntry> stored = certificates.revokedEntries();
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
        // Cleared before the entries are read: a revocation meanwhile sets it again and gets its own CRL.
        stale = false;
        int entries = revoked.size();
        byte[] der = CrlEncoder.encode(ca, number, thisUpdate, nextUpdate, revoked.contents(), digestFor());
        long signed = System.nanoTime();
        StoredCrl crl = new StoredCrl(number, thisUpdate, nextUpdate, der);
        crls.save(crl);
        current = crl;
        long stored = System.nanoTime();
        audit.record("generate_crl", "ok", "number", number, "entries", entries, "bytes", der.length,
                "next_update", nextUpdate, "ms", (stored - started) / 1_000_000,
                "sign_ms", (signed - started) / 1_000_000, "store_ms", (stored - signed) / 1_000_000);
        published.accept(crl);
        return crl;
    }

    private String digestFor() {
        // An EC P-384 CA signs with SHA-384, matching the strength of its key.
        return ca.certificate().getSigAlgName().toUpperCase().startsWith("SHA384") ? "sha384" : "sha256";
    }

}
