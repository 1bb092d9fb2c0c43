package io.upki.acme.store;

import io.upki.acme.db.StoreLocation;
import io.upki.testkit.postgres.TestPostgres;
import java.nio.file.Path;

/**
 * The engines every store suite runs on: SQLite in the test's folder, and a fresh database on the JVM's
 * real PostgreSQL server (the test is skipped, saying why, when the server binaries are absent).
 */
enum StoreEngine {
    SQLITE, POSTGRESQL;

    /** A new, empty store location for one test. */
    StoreLocation freshLocation(Path dir) {
        if (this == SQLITE) {
            return StoreLocation.sqlite(dir.resolve("acme.db"));
        }
        TestPostgres.Database db = TestPostgres.shared().createDatabase("acme");
        return StoreLocation.parse(db.storeUrl(), null, db.password().toCharArray());
    }
}
