package io.upki.pki.crlfeed;

import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlParser;
import io.upki.pki.crl.CrlRejectedException;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crl.RevocationIndex;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepted CRLs. Every CRL offered (file, URL, push) passes the {@link CrlAcceptor} checks against
 * what is already accepted; a rejected one is logged and counted and the last good one stays. A change
 * is published by replacing the whole immutable index, so a request sees either the old or the new CRL.
 */
public final class CrlState {
    private static final Logger LOG = LoggerFactory.getLogger(CrlState.class);

    private volatile CrlAcceptor acceptor;
    private final Clock clock;
    private volatile List<X509Certificate> issuers;
    private volatile Runnable onUnknownIssuer = () -> { };
    private final Runnable onChange;
    private final AtomicReference<RevocationIndex> index = new AtomicReference<>(RevocationIndex.empty());
    private final LongAdder rejected = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder deltas = new LongAdder();

    /**
     * @param issuers the CAs that must each have a current CRL for the sidecar to be ready
     * @param onChange run after a new CRL is in force (drops cached verdicts)
     */
    public CrlState(CrlAcceptor acceptor, Clock clock, List<X509Certificate> issuers, Runnable onChange) {
        this.acceptor = acceptor;
        this.clock = clock;
        this.issuers = List.copyOf(issuers);
        this.onChange = onChange;
    }

    /**
     * The trusted CAs changed (a CA rolled its key over, docs/KEYS.md): CRLs are checked against
     * {@code issuers} from now on, and each of them needs a current CRL for readiness. CRLs already
     * accepted stay in force.
     */
    public synchronized void retrust(CrlAcceptor newAcceptor, List<X509Certificate> newIssuers) {
        this.acceptor = newAcceptor;
        this.issuers = List.copyOf(newIssuers);
    }

    /** Run (on the offering thread) when a CRL names an issuer that is not trusted: maybe a new CA generation. */
    public void onUnknownIssuer(Runnable r) {
        this.onUnknownIssuer = r;
    }

    public RevocationIndex current() {
        return index.get();
    }

    /**
     * Offers CRL bytes (DER, or PEM with one or more CRLs).
     *
     * @return the CRLs that were accepted and are now in force
     */
    public synchronized List<CrlSnapshot> offer(byte[] input, String source) {
        List<CrlSnapshot> taken = new ArrayList<>();
        List<byte[]> ders;
        try {
            ders = CrlParser.split(input);
        } catch (CrlRejectedException e) {
            reject(source, e);
            return taken;
        }
        RevocationIndex next = index.get();
        for (byte[] der : ders) {
            try {
                CrlSnapshot snapshot = acceptor.accept(der, next);
                CrlSnapshot previous = next.snapshotFor(snapshot.issuer());
                if (previous != null && previous.complete() && previous.number().equals(snapshot.number())) {
                    continue; // the same CRL again: nothing changes
                }
                next = next.with(snapshot);
                taken.add(snapshot);
                accepted.increment();
                LOG.info("CRL {} from {} accepted: issuer {}, {} entries, next update {}", snapshot.number(), source,
                        snapshot.issuer().getSubjectX500Principal(), snapshot.revokedSerials().size(), snapshot.nextUpdate());
            } catch (CrlRejectedException e) {
                if (e.reason() == CrlRejectedException.Reason.BEHIND_DELTA) {
                    LOG.debug("CRL from {} not taken: {}", source, e.getMessage());
                    continue;
                }
                reject(source, e);
            }
        }
        if (!taken.isEmpty()) {
            index.set(next);
            onChange.run();
            try {
                acceptor.accepted(taken);
            } catch (java.io.IOException e) {
                // The newer CRL is in force either way; only the guard against a replay after a restart is at risk.
                LOG.error("cannot record the accepted CRL numbers: {}", e.getMessage());
            }
        }
        return taken;
    }

    /**
     * Offers a delta CRL (RFC 5280 section 5.2.4) pushed by a publisher: applied on top of the complete
     * CRL held for its issuer when {@link CrlAcceptor#acceptDelta} admits it. A delta whose base is not
     * held is only logged: the announcement of the complete CRL that follows it fetches that one.
     *
     * @return the snapshot now in force, or null when the delta was not applied
     */
    public synchronized CrlSnapshot offerDelta(byte[] der, String source) {
        RevocationIndex now = index.get();
        CrlSnapshot snapshot;
        try {
            snapshot = acceptor.acceptDelta(der, now);
        } catch (CrlRejectedException e) {
            if (e.reason() == CrlRejectedException.Reason.DELTA_BASE || e.reason() == CrlRejectedException.Reason.OLDER_NUMBER) {
                LOG.info("delta CRL from {} not applied: {}", source, e.getMessage());
                return null;
            }
            reject(source, e);
            return null;
        }
        index.set(now.with(snapshot));
        deltas.increment();
        onChange.run();
        LOG.info("delta CRL {} from {} applied: issuer {}, {} entries now", snapshot.number(), source,
                snapshot.issuer().getSubjectX500Principal(), snapshot.revokedSerials().size());
        return snapshot;
    }

    /**
     * True when CRL {@code number} is already in force for some issuer, from a delta or complete: an
     * announcement of it needs no fetch. (CRL numbers are one sequence across a CA's key generations.)
     */
    public boolean holds(java.math.BigInteger number) {
        for (CrlSnapshot s : index.get().snapshots()) {
            if (s.number().equals(number)) {
                return true;
            }
        }
        return false;
    }

    private void reject(String source, CrlRejectedException e) {
        rejected.increment();
        if (e.reason() == CrlRejectedException.Reason.UNKNOWN_ISSUER) {
            onUnknownIssuer.run();
        }
        LOG.warn("CRL from {} rejected ({}): {}", source, e.reason(), e.getMessage());
    }

    /** Every issuer has a CRL that is current now. */
    public boolean ready() {
        return index.get().currentFor(issuers, clock.instant(), acceptor.grace());
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    public long acceptedCount() {
        return accepted.sum();
    }

    /** Delta CRLs applied. */
    public long deltaCount() {
        return deltas.sum();
    }
}
