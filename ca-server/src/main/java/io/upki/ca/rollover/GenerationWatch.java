package io.upki.ca.rollover;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaGenerations;
import io.upki.ca.authority.CaLoader;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.authority.GenerationFiles;
import io.upki.ca.crl.CrlService;
import io.upki.ca.crl.CrlServices;
import io.upki.ca.keys.CaKeyAccess;
import io.upki.ca.store.CertificateRepository;
import io.upki.pki.process.DaemonThreads;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over, in a running CA, the generation {@code ca-server rollover --install} switched to, and
 * retires earlier generations once their last certificate expired.
 *
 * <p>The install is a file operation on the CA host, made by whoever holds the data directory (and the
 * key); the running CA notices the new {@code ca.crt} within a second (a stat call) rather than being
 * told over ZeroMQ: no remote task can change the signing key, and a CA that was down during the
 * install finds the same files at start. The new generation signs from the next request on; the
 * earlier ones keep signing their CRLs.
 */
public final class GenerationWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationWatch.class);
    /** How often expired generations are looked for: their end is known days ahead. */
    private static final long RETIRE_EVERY_SECONDS = 3600;

    private final CaFiles files;
    private final CaGenerations generations;
    private final CrlServices crls;
    private final CertificateRepository certificates;
    private final CaKeyAccess keys;
    private final Clock clock;
    private final AuditLog audit;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("ca-generation-watch"));
    private List<Object> stamp;
    private long sinceRetire;

    public GenerationWatch(CaFiles files, CaGenerations generations, CrlServices crls, CertificateRepository certificates,
                           CaKeyAccess keys, Clock clock, AuditLog audit) {
        this.files = files;
        this.generations = generations;
        this.crls = crls;
        this.certificates = certificates;
        this.keys = keys;
        this.clock = clock;
        this.audit = audit;
    }

    public void start() {
        stamp = stamp();
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private List<Object> stamp() {
        try {
            FileTime mtime = Files.getLastModifiedTime(files.caCertificate());
            return List.of(mtime, Files.size(files.caCertificate()));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** One pass: a new generation installed? earlier ones expired? Never throws (the timer would stop). */
    void check() {
        try {
            List<Object> now = stamp();
            if (!now.equals(stamp) && !GenerationFiles.switchPending(files)) {
                stamp = now;
                takeOver();
            }
            if (++sinceRetire >= RETIRE_EVERY_SECONDS) {
                sinceRetire = 0;
                for (int n : retireExpired(generations, certificates, clock)) {
                    crls.retired(n);
                    audit.record("retire_generation", "ok", "generation", n);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("cannot take over the CA generation installed in {}: {}", files.dataDir(), e.getMessage());
            audit.record("rollover", "error", "reason", String.valueOf(e.getMessage()));
        }
    }

    private void takeOver() {
        CertificateAuthority ca = CaLoader.loadCurrent(files, keys.passphrase(), keys.pkcs11(), clock);
        if (ca.certificate().equals(generations.current().ca().certificate())) {
            return; // touched, not replaced
        }
        int number = GenerationFiles.currentNumber(files);
        CaGenerations.Generation next = new CaGenerations.Generation(number, ca);
        generations.activate(next);
        crls.activated(next);
        // Its first CRL at once: relying parties need one for the new issuer before its first certificate.
        CrlService service = crls.service(number);
        long crl = service.generate().number().longValue();
        LOG.info("CA generation {} ({}) signs from now on; live generations {} each sign their own CRL",
                number, ca.certificate().getSubjectX500Principal().getName(), crls.numbers());
        audit.record("rollover", "ok", "generation", number, "subject",
                ca.certificate().getSubjectX500Principal().getName(), "crl", crl);
    }

    /**
     * Drops the earlier generations whose every certificate has expired (or that signed none).
     *
     * @return the numbers retired
     */
    public static List<Integer> retireExpired(CaGenerations generations, CertificateRepository certificates, Clock clock) {
        Instant now = clock.instant();
        int current = generations.current().number();
        List<Integer> retired = new java.util.ArrayList<>();
        for (CaGenerations.Generation g : generations.all()) {
            if (g.number() == current) {
                continue;
            }
            Optional<Instant> last = certificates.lastNotAfter(g.number());
            if (last.isEmpty() || now.isAfter(last.get())) {
                generations.retire(g.number());
                retired.add(g.number());
                LOG.info("CA generation {} retired: its last certificate expired", g.number());
            }
        }
        return retired;
    }

    /**
     * Refuses a data directory behind its store: certificates signed by a generation this directory
     * does not hold (a standby not given the files of a rollover made on the active CA) would have no
     * CRL, so their revocations would reach no relying party.
     *
     * @throws IllegalStateException with a one-line reason
     */
    public static void checkStoreKnown(CaGenerations generations, CertificateRepository certificates) {
        int next = generations.current().number() + 1;
        if (certificates.lastNotAfter(next).isPresent()) {
            throw new IllegalStateException("the store holds certificates of CA generation " + next + ", which this data "
                    + "directory does not have: copy ca.crt, ca.key (or pkcs11-key) and generations/ from the CA that "
                    + "rolled over (docs/OPERATIONS.md)");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
