package io.upki.ra.acme;

import io.upki.acme.db.StoreLocation;
import io.upki.testkit.postgres.TestPostgres;

/**
 * The ACME store engines the real-stack suites run on: SQLite ({@code acme.db} in the RA's data
 * directory, the default) and a fresh database on the JVM's real PostgreSQL server (skipped, saying why,
 * when the server binaries are absent).
 */
enum AcmeStoreEngine {
    SQLITE, POSTGRESQL;

    /** A new store for one stack: null for the SQLite default, else an empty PostgreSQL database. */
    StoreLocation freshStore() {
        if (this == SQLITE) {
            return null;
        }
        TestPostgres.Database db = TestPostgres.shared().createDatabase("acme_stack");
        return StoreLocation.parse(db.storeUrl(), null, db.password().toCharArray());
    }
}
