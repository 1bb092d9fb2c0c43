package io.upki.ca.issue;

import io.upki.ca.store.CertificateRecord;
import io.upki.ca.store.CertificateRepository;
import io.upki.ca.store.DuplicateSerialException;
import io.upki.ca.store.Reservation;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.DistinguishedNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs prepared certificates and stores them so that none is handed out before it is durable.
 *
 * <p>When the CA key's signatures repeat (RSA PKCS#1 v1.5), the certificate's TBS is written and
 * fsynced on another thread while this one signs: the disk wait and the signature overlap instead of
 * adding up. The signed certificate then goes in with a commit that survives a process crash without
 * waiting for the disk. Should a power loss undo that commit, {@link #recover()} signs the stored TBS
 * again on the next start, which gives the very certificate the client received. ECDSA signatures
 * do not repeat and are fast, so an EC CA signs first and stores the certificate durably after.
 */
public final class SigningStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SigningStore.class);

    private final CertificateIssuer issuer;
    private final CertificateRepository certificates;
    private final boolean overlap;
    /** Runs the durable write of a reservation while the caller signs; threads start on first use. */
    private final ExecutorService writer = Executors.newFixedThreadPool(2, DaemonThreads.named("ca-store"));
    private final Clock clock;

    /** @param overlap true when the CA's signatures repeat, so the TBS can be made durable first */
    public SigningStore(CertificateIssuer issuer, CertificateRepository certificates, boolean overlap, Clock clock) {
        this.issuer = issuer;
        this.certificates = certificates;
        this.overlap = overlap;
        this.clock = clock;
    }

    /** A certificate signed and durably stored. */
    public record Stored(CertificateRecord record, X509CertificateHolder holder) {
    }

    /**
     * @throws DuplicateSerialException when the serial is taken (nothing was stored)
     */
    public Stored signAndStore(TBSCertificate tbs, String digest, String profile, String keyFile) {
        Instant issuedAt = clock.instant();
        if (!overlap) {
            X509CertificateHolder holder = issuer.sign(tbs, digest);
            CertificateRecord record = toRecord(holder, profile, keyFile, issuedAt);
            certificates.insert(record);
            return new Stored(record, holder);
        }
        BigInteger serial = tbs.getSerialNumber().getValue();
        Reservation reservation = new Reservation(serial, der(tbs), digest, profile, keyFile, issuedAt);
        CompletableFuture<Void> reserved = CompletableFuture.runAsync(() -> certificates.reserve(reservation), writer);
        X509CertificateHolder holder;
        try {
            holder = issuer.sign(tbs, digest);
        } catch (RuntimeException e) {
            reserved.whenComplete((ok, failed) -> {
                if (failed == null) {
                    certificates.release(serial);
                }
            });
            throw e;
        }
        try {
            reserved.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        CertificateRecord record = toRecord(holder, profile, keyFile, issuedAt);
        try {
            certificates.complete(record);
        } catch (RuntimeException e) {
            // The caller gets an error, so the certificate must not come back from its reservation later.
            try {
                certificates.release(serial);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return new Stored(record, holder);
    }

    /**
     * Stores the certificates whose reservation outlived their final insert (a power loss right after
     * the reply), signing each stored TBS again. Runs before the CA answers requests.
     *
     * @return how many certificates were restored
     */
    public int recover() {
        List<Reservation> left = certificates.reservations();
        int restored = 0;
        for (Reservation r : left) {
            if (certificates.findBySerial(r.serial()).isPresent()) {
                certificates.release(r.serial());
                continue;
            }
            TBSCertificate tbs = TBSCertificate.getInstance(r.tbs());
            X509CertificateHolder holder = issuer.sign(tbs, r.digest());
            certificates.insert(toRecord(holder, r.profile(), r.keyFile(), r.issuedAt()));
            certificates.release(r.serial());
            restored++;
            LOG.warn("restored certificate {} from its reservation (its final write was lost in a crash)",
                    r.serial().toString(16));
        }
        return restored;
    }

    /** Waits for reservations still being written; call once no sign is running any more. */
    @Override
    public void close() {
        writer.shutdown();
        if (!DaemonThreads.drain(writer, Duration.ofSeconds(10))) {
            LOG.warn("store writes did not finish within 10 s of shutdown");
        }
    }

    private static byte[] der(TBSCertificate tbs) {
        try {
            return tbs.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CertificateRecord toRecord(X509CertificateHolder holder, String profile, String keyFile, Instant issuedAt) {
        byte[] der;
        try {
            der = holder.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        X500Name subject = holder.getSubject();
        return new CertificateRecord(holder.getSerialNumber(), DistinguishedNames.commonName(subject),
                DistinguishedNames.toSlash(subject), DistinguishedNames.canonicalKey(subject), profile,
                holder.getNotBefore().toInstant(), holder.getNotAfter().toInstant(), issuedAt,
                CertificateFacts.sha256Fingerprint(der), der, keyFile, null, null,
                Math.max(1, issuer.generationOf(holder.getIssuer())));
    }
}
