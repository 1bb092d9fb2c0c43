package io.upki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.VerifiedPath;
import java.io.PrintStream;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * How long {@link CrlAcceptor#accept} takes for CRLs of growing size (parse every entry, verify the
 * signature, check issuer, number and dates), and what one revocation lookup costs
 * ({@link CrlSnapshot#revokes}, {@link RevocationIndex#check}) with 1,000 entries against 1,000,000.
 */
final class CrlLoadBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 4096;
    private static volatile long sink;

    private CrlLoadBench() {
    }

    /** One JSON line per size, on {@code out}; progress on stderr. */
    static void run(CertificateAuthority ca, X509Certificate leaf, List<Integer> sizes, int runs, long lookups,
                    PrintStream out) throws Exception {
        X509Certificate caCert = ca.certificate();
        VerifiedPath path = new VerifiedPath(List.of(leaf, caCert));
        for (int size : sizes) {
            ObjectNode line = JSON.createObjectNode();
            line.put("label", "crl-load-" + size);
            line.put("kind", "crl-load");
            line.put("entries", size);
            long t = System.nanoTime();
            byte[] der = BenchCrl.build(ca, BigInteger.valueOf(1000 + size), size, List.of(), size);
            line.put("build_s", Stats.round((System.nanoTime() - t) / 1e9, 3));
            line.put("der_bytes", der.length);
            System.err.printf("crl-load: %,d entries, %,d bytes, built in %.2f s%n", size, der.length,
                    (System.nanoTime() - t) / 1e9);

            CrlAcceptor acceptor = new CrlAcceptor(List.of(caCert), Clock.systemUTC(), Duration.ZERO);
            // Warm-up (class loading, JIT), not timed.
            int warmups = size >= 100_000 ? 1 : 20;
            for (int w = 0; w < warmups; w++) {
                acceptor.accept(der, RevocationIndex.empty());
            }
            ArrayNode acceptRuns = line.putArray("accept_s");
            CrlSnapshot snapshot = null;
            long heapBefore = 0;
            long heapAfter = 0;
            for (int r = 0; r < runs; r++) {
                snapshot = null;
                heapBefore = usedHeapAfterGc();
                t = System.nanoTime();
                snapshot = acceptor.accept(der, RevocationIndex.empty());
                double s = (System.nanoTime() - t) / 1e9;
                heapAfter = usedHeapAfterGc();
                acceptRuns.add(Stats.round(s, 4));
                System.err.printf("crl-load: %,d entries: CrlAcceptor.accept run %d: %.3f s%n", size, r + 1, s);
            }
            line.put("snapshot_heap_mb", Stats.round((heapAfter - heapBefore) / 1048576.0, 1));
            line.put("revoked_serials", snapshot.revokedSerials().size());

            lookups(line, snapshot, path, caCert, size, lookups);
            // After the lookups, so that building another CRL of this size does not disturb them.
            // The next CRL of the CA: the same entries and one more revocation. Only the new entry is read.
            byte[] next = BenchCrl.build(ca, BigInteger.valueOf(1001 + size), size + 1, List.of(), size);
            RevocationIndex nextIndex = RevocationIndex.empty().with(snapshot);
            t = System.nanoTime();
            CrlSnapshot nextSnapshot = acceptor.accept(next, nextIndex);
            line.put("accept_next_s", Stats.round((System.nanoTime() - t) / 1e9, 4));
            if (nextSnapshot.revokedSerials().size() != size + 1) {
                throw new IllegalStateException("the next CRL lists " + nextSnapshot.revokedSerials().size() + " serials");
            }
            out.println(line);
            out.flush();
            snapshot = null;
            der = null;
            usedHeapAfterGc();
        }
    }

    private static void lookups(ObjectNode line, CrlSnapshot snapshot, VerifiedPath path, X509Certificate caCert,
                                int size, long n) throws RefusedException {
        Random random = new Random(7);
        BigInteger[] misses = new BigInteger[KEYS];
        for (int i = 0; i < KEYS; i++) {
            misses[i] = new BigInteger(159, random).setBit(150);
        }
        // Distinct objects equal to listed serials (a request carries its own parsed serial).
        BigInteger[] hits = new BigInteger[KEYS];
        Iterator<BigInteger> it = snapshot.revokedSerials().iterator();
        List<BigInteger> all = new ArrayList<>(Math.min(size, 1 << 20));
        while (it.hasNext() && all.size() < (1 << 20)) {
            all.add(it.next());
        }
        for (int i = 0; i < KEYS; i++) {
            hits[i] = new BigInteger(all.get(random.nextInt(all.size())).toByteArray());
        }
        BigInteger same = path.leaf().getSerialNumber();
        RevocationIndex index = RevocationIndex.empty().with(snapshot);
        Instant now = Instant.now();
        all.clear();
        // Building the inputs and the snapshot left garbage, and with a 1M-entry snapshot G1 may start a
        // concurrent cycle: collect now, so no collector thread shares the 2 cores with the timed loops.
        usedHeapAfterGc();
        // Warm every loop, then time it; each timed figure is the best of three passes (interference
        // from the rest of the machine only ever adds time).
        double sameNs = Double.MAX_VALUE;
        double missNs = Double.MAX_VALUE;
        double hitNs = Double.MAX_VALUE;
        double checkNs = Double.MAX_VALUE;
        for (int pass = 0; pass < 4; pass++) {
            long count = pass == 0 ? Math.min(n, 2_000_000) : n / 3;
            double s = time(count, i -> snapshot.revokes(same) ? 1 : 0);
            double m = time(count, i -> snapshot.revokes(misses[(int) (i & (KEYS - 1))]) ? 1 : 0);
            double h = time(count, i -> snapshot.revokes(hits[(int) (i & (KEYS - 1))]) ? 1 : 0);
            double c = time(count, i -> {
                index.check(path, now, Duration.ZERO);
                return 1;
            });
            if (pass > 0) {
                sameNs = Math.min(sameNs, s);
                missNs = Math.min(missNs, m);
                hitNs = Math.min(hitNs, h);
                checkNs = Math.min(checkNs, c);
            }
        }
        line.put("lookups", n);
        line.put("revokes_same_serial_ns", Stats.round(sameNs, 1));
        line.put("revokes_random_miss_ns", Stats.round(missNs, 1));
        line.put("revokes_random_hit_ns", Stats.round(hitNs, 1));
        line.put("index_check_ns", Stats.round(checkNs, 1));
        System.err.printf("crl-load: %,d entries: revokes same %.1f ns, random miss %.1f ns, random hit %.1f ns,"
                + " RevocationIndex.check %.1f ns%n", size, sameNs, missNs, hitNs, checkNs);
    }

    @FunctionalInterface
    private interface Op {
        int apply(long i) throws RefusedException;
    }

    private static double time(long n, Op op) throws RefusedException {
        long acc = 0;
        long t = System.nanoTime();
        for (long i = 0; i < n; i++) {
            acc += op.apply(i);
        }
        double ns = (System.nanoTime() - t) / (double) n;
        sink += acc;
        return ns;
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
