package io.upki.ca.testing;

import io.upki.ca.store.StoreLocation;
import io.upki.testkit.postgres.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which store the CA suites run on: SQLite by default; with {@code -Dupki.test.store=postgresql} (the
 * pom's second surefire execution) every CA data directory gets a database of its own on the shared
 * test PostgreSQL server, kept across restarts of the same directory.
 */
public final class TestStores {
    public static final String PROPERTY = "upki.test.store";
    private static final Map<Path, TestPostgres.Database> DATABASES = new ConcurrentHashMap<>();

    private TestStores() {
    }

    public static boolean postgres() {
        return "postgresql".equals(System.getProperty(PROPERTY));
    }

    private static TestPostgres.Database database(Path dataDir) {
        return DATABASES.computeIfAbsent(dataDir.toAbsolutePath().normalize(),
                d -> TestPostgres.shared().createDatabase("ca"));
    }

    /** The store of the CA in {@code dataDir}: null (its SQLite file) unless the suite runs on PostgreSQL. */
    public static StoreLocation location(Path dataDir) {
        return postgres() ? StoreLocation.parse(database(dataDir).storeUrl(), null) : null;
    }

    public static char[] password(Path dataDir) {
        return postgres() ? database(dataDir).password().toCharArray() : null;
    }

    /** {@code ca-server start} options naming the store of {@code dataDir} (none on SQLite). */
    public static List<String> processOptions(Path dataDir) {
        return postgres() ? List.of("--store", database(dataDir).storeUrl()) : List.of();
    }

    /** Environment for a {@code ca-server} process of {@code dataDir} (PGPASSWORD on PostgreSQL). */
    public static Map<String, String> processEnv(Path dataDir) {
        return postgres() ? Map.of("PGPASSWORD", database(dataDir).password()) : Map.of();
    }
}
