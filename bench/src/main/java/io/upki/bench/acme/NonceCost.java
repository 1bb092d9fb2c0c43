package io.upki.bench.acme;

import io.upki.acme.db.StoreLocation;
import io.upki.acme.store.AcmeStore;
import io.upki.acme.store.Nonces;
import io.upki.testkit.postgres.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a nonce costs each ACME request: one issue (the Replay-Nonce of a response) plus one consume (the
 * next request's JWS), in memory (one ra-core, SQLite store) and in a shared PostgreSQL database (RA
 * replicas), on a real PostgreSQL server this tool starts from initdb/pg_ctl, or on {@code --store}.
 * Stores are measured in alternating rounds so a change in the machine's load weighs on both.
 */
@Command(name = "nonce-cost", mixinStandardHelpOptions = true,
        description = "Per-request cost of ACME nonces: in memory vs in a shared PostgreSQL database.")
public final class NonceCost implements Callable<Integer> {
    @Option(names = "--pairs", defaultValue = "5000", description = "Measured issue+consume pairs per store, threads and round.")
    int pairs;

    @Option(names = "--warmup", defaultValue = "3000", description = "Untimed pairs per store first.")
    int warmup;

    @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds.")
    int rounds;

    @Option(names = "--threads", split = ",", defaultValue = "1,4", description = "Concurrent requesters, one run each.")
    List<Integer> threads;

    @Option(names = "--store", description = "postgresql://USER@HOST:PORT/DB to measure (password: PGPASSWORD); "
            + "default a PostgreSQL server of its own.")
    String store;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("nonce-cost");
        TestPostgres own = null;
        StoreLocation pg;
        if (store != null) {
            String pw = System.getenv("PGPASSWORD");
            pg = StoreLocation.parse(store, null, pw == null ? null : pw.toCharArray());
        } else {
            own = TestPostgres.start();
            TestPostgres.Database db = own.createDatabase("nonce_cost");
            pg = StoreLocation.parse(db.storeUrl(), null, db.password().toCharArray());
        }
        try (AcmeStore memoryStore = AcmeStore.sqlite(dir.resolve("acme.db")); AcmeStore pgStore = AcmeStore.open(pg)) {
            SecureRandom random = new SecureRandom();
            Nonces memory = memoryStore.nonces(Clock.systemUTC(), Duration.ofHours(1), random);
            Nonces shared = pgStore.nonces(Clock.systemUTC(), Duration.ofHours(1), random);
            for (int t : threads) {
                run(memory, t, warmup);
                run(shared, t, warmup);
                for (int round = 1; round <= rounds; round++) {
                    Nonces[] order = round % 2 == 1 ? new Nonces[] {memory, shared} : new Nonces[] {shared, memory};
                    for (Nonces n : order) {
                        print(n == memory ? "memory" : "postgresql", t, round, run(n, t, pairs));
                    }
                }
            }
        } finally {
            if (own != null) {
                own.close();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    /** What one measured run saw. */
    private record Outcome(double seconds, long[] pairNanos) {
    }

    private static Outcome run(Nonces nonces, int threads, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            int each = Math.max(1, total / threads);
            List<Callable<long[]>> work = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                work.add(() -> {
                    long[] nanos = new long[each];
                    for (int k = 0; k < each; k++) {
                        long start = System.nanoTime();
                        if (!nonces.consume(nonces.issue())) {
                            throw new IllegalStateException("a fresh nonce was refused");
                        }
                        nanos[k] = System.nanoTime() - start;
                    }
                    return nanos;
                });
            }
            long start = System.nanoTime();
            List<long[]> parts = new ArrayList<>();
            for (Future<long[]> f : pool.invokeAll(work)) {
                parts.add(f.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Outcome(seconds, all);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void print(String store, int threads, int round, Outcome o) {
        long[] n = o.pairNanos();
        System.out.printf(Locale.ROOT, "{\"store\":\"%s\",\"threads\":%d,\"round\":%d,\"pairs\":%d,\"pairs_per_s\":%.0f,"
                        + "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f}%n", store, threads, round, n.length,
                n.length / o.seconds(), n[n.length / 2] / 1e3, n[(int) (n.length * 0.9)] / 1e3, n[(int) (n.length * 0.99)] / 1e3);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new NonceCost()).execute(args));
    }
}
