package io.upki.publisher.publish;

import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlParser;
import io.upki.pki.crl.CrlRejectedException;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRL this publisher serves. A candidate is published only if it passes every acceptance check
 * against the CA certificate and the last published CRL (signature, issuer, number strictly higher,
 * nextUpdate ahead); then {@code crl.der}, {@code crl.pem} and {@code ca.crt} are replaced atomically
 * (temporary file, fsync, rename), so a reader never sees a partial file.
 */
public final class Publication {
    private static final Logger LOG = LoggerFactory.getLogger(Publication.class);

    /** What is served now: the accepted CRL with its encodings and HTTP validators. */
    public static final class Current {
        private final CrlSnapshot snapshot;
        private final String etag;
        private volatile byte[] pem;

        public Current(CrlSnapshot snapshot) {
            this.snapshot = snapshot;
            this.etag = "\"" + CertificateFacts.sha256Fingerprint(snapshot.der()) + "\"";
        }

        public CrlSnapshot snapshot() {
            return snapshot;
        }

        public byte[] der() {
            return snapshot.der();
        }

        public String etag() {
            return etag;
        }

        /** The PEM form, made on first use: the sidecars fetch DER, so a new CRL is announced without it. */
        public byte[] pem() {
            byte[] p = pem;
            if (p == null) {
                String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der());
                p = ("-----BEGIN X509 CRL-----\n" + b64 + "\n-----END X509 CRL-----\n").getBytes(StandardCharsets.US_ASCII);
                pem = p;
            }
            return p;
        }
    }

    private volatile CrlAcceptor acceptor;
    private volatile X509Certificate caCertificate;
    private final Path outDir;
    private final Consumer<Current> onPublish;
    private final AtomicReference<Current> current = new AtomicReference<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder deltas = new LongAdder();
    /** Keeps delta pushes in order, apart from this object's lock (held while complete CRLs are written). */
    private final Object pushing = new Object();
    /** The number of the last delta pushed (written under {@link #pushing}). */
    private volatile BigInteger lastDelta;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder writeFailures = new LongAdder();

    public Publication(CrlAcceptor acceptor, X509Certificate caCertificate, Path outDir, Consumer<Current> onPublish) {
        this.acceptor = acceptor;
        this.caCertificate = caCertificate;
        this.outDir = outDir;
        this.onPublish = onPublish;
    }

    /**
     * The CA rolled its key over (docs/KEYS.md): CRLs from now on are the new generation's, checked
     * against its certificate. Its CRL numbers continue the CA's one sequence, so they stay above the
     * published one. Does nothing when {@code ca} is the certificate already trusted.
     */
    public synchronized void retrust(X509Certificate ca, CrlAcceptor forIt) {
        if (ca.equals(caCertificate)) {
            return;
        }
        LOG.info("the CA's issuing certificate is now {}: its CRLs are published from here on",
                ca.getSubjectX500Principal().getName());
        caCertificate = ca;
        acceptor = forIt;
    }

    /** The CA certificate whose CRLs are published at {@code /crl.der}. */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Reloads the last published CRL from the output folder after a restart (if it is still acceptable). */
    public void reload() throws IOException {
        Path der = outDir.resolve("crl.der");
        if (!Files.exists(der)) {
            return;
        }
        try {
            CrlSnapshot snapshot = acceptor.accept(Files.readAllBytes(der), RevocationIndex.empty());
            current.set(new Current(snapshot));
            LOG.info("reloaded published CRL {} from {}", snapshot.number(), der);
        } catch (CrlRejectedException e) {
            LOG.warn("the CRL in {} is no longer usable ({}): waiting for a new one", der, e.getMessage());
        }
    }

    public Current current() {
        return current.get();
    }

    /**
     * Offers a CRL fetched from the CA.
     *
     * @return true when it was published; false when rejected or not newer than the current one
     */
    public synchronized boolean offer(byte[] candidate) {
        Current now = current.get();
        RevocationIndex index = now == null ? RevocationIndex.empty() : RevocationIndex.empty().with(now.snapshot());
        CrlSnapshot snapshot;
        try {
            byte[] der = CrlParser.split(candidate).get(0);
            snapshot = acceptor.accept(der, index);
        } catch (CrlRejectedException e) {
            rejected.increment();
            LOG.warn("CRL rejected ({}): {}; still serving CRL {}", e.reason(), e.getMessage(),
                    now == null ? "none" : now.snapshot().number());
            return false;
        }
        if (now != null && snapshot.number().equals(now.snapshot().number())) {
            return false; // the same CRL again
        }
        Current next = new Current(snapshot);
        current.set(next);
        published.increment();
        // Announce first, write the files after: subscribers fetch the CRL from memory, so a revocation
        // does not wait for megabytes of fsync. If this process dies before the files are written, it
        // reloads the previous CRL on restart and fetches the newer one from the CA at once; sidecars that
        // already took the newer one keep it (they never go back to a lower number).
        onPublish.accept(next);
        try {
            byte[] caPem = Pem.encode(caCertificate).getBytes(StandardCharsets.US_ASCII);
            Path caFile = outDir.resolve("ca.crt");
            if (!Files.exists(caFile) || !Arrays.equals(Files.readAllBytes(caFile), caPem)) {
                AtomicFiles.writePublic(caFile, caPem);
            }
            AtomicFiles.writePublic(outDir.resolve("crl.pem"), next.pem());
            // crl.der last: its change is what file watchers react to, and it is the reload source.
            AtomicFiles.writePublic(outDir.resolve("crl.der"), next.der());
        } catch (IOException e) {
            writeFailures.increment();
            // The exception's own text: some I/O failures carry no message, only their type.
            LOG.error("cannot write CRL {} to {}: {} (it is served over HTTP all the same)", snapshot.number(), outDir,
                    e.toString());
            return true;
        }
        LOG.info("published CRL {} ({} entries, next update {})", snapshot.number(), snapshot.revokedSerials().size(),
                snapshot.nextUpdate());
        return true;
    }

    /** A delta CRL checked against the published CRL, ready to push. */
    public record Delta(BigInteger number, BigInteger base, byte[] der) {
    }

    /**
     * Checks a delta CRL from the CA against the published complete CRL ({@link CrlAcceptor#acceptDelta}:
     * signature, indicator, base not newer than what is published, number above it) and hands it to
     * {@code push}. Nothing is written: the complete CRL of the same number follows.
     *
     * @return true when it was pushed
     */
    public boolean offerDelta(byte[] der, BigInteger base, Consumer<Delta> push) {
        // Not under this object's lock: offer() holds it while it writes megabytes with fsync, and a delta
        // must not wait for that. It is checked against whichever complete CRL is published at this moment.
        Current now = current.get();
        if (now == null) {
            return false;
        }
        try {
            CrlSnapshot applied = acceptor.acceptDelta(der, RevocationIndex.empty().with(now.snapshot()));
            synchronized (pushing) {
                BigInteger last = lastDelta;
                if (last != null && applied.number().compareTo(last) <= 0) {
                    return false; // pushed already (it came back through the CA's event feed)
                }
                // Recorded before the push: a holder acknowledges the delta (POST /status/took) as soon as it
                // has applied it, and that answer is checked against this number.
                lastDelta = applied.number();
                push.accept(new Delta(applied.number(), base, der.clone()));
            }
            deltas.increment();
            return true;
        } catch (CrlRejectedException e) {
            LOG.warn("delta CRL not pushed ({}): {}", e.reason(), e.getMessage());
            return false;
        }
    }

    /** The number of the last delta CRL pushed, or null before the first. */
    public BigInteger lastDeltaNumber() {
        return lastDelta;
    }

    /** Delta CRLs pushed. */
    public long deltaCount() {
        return deltas.sum();
    }

    public long publishedCount() {
        return published.sum();
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    /** CRLs served and announced but not written to the output folder (disk full, permissions). */
    public long writeFailureCount() {
        return writeFailures.sum();
    }
}
