package io.upki.ca.robustness;

import io.upki.ca.authority.CaCurveKey;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.TempFolder;
import io.upki.testkit.postgres.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An active CA and its standby over one PostgreSQL store: two folders holding the same keys (B a copy of
 * A, so both sign with the same key and serve the CURVE key clients pin) and a process for each.
 */
final class CaPair {
    final TestPostgres.Database db;
    final Path dirA;
    final Path dirB;
    /** The environment both processes need for the store (its password). */
    final Map<String, String> env;
    final CaProcess a;
    final CaProcess b;
    /** A's CURVE public key when made with one, else null. */
    final String curveKey;

    private CaPair(TestPostgres.Database db, Path dirA, Path dirB, String curveKey, CaProcess a, CaProcess b) {
        this.db = db;
        this.dirA = dirA;
        this.dirB = dirB;
        this.env = Map.of("PGPASSWORD", db.password());
        this.curveKey = curveKey;
        this.a = a;
        this.b = b;
    }

    /**
     * A fresh database {@code database}; A initialised in {@code tmp}/ca-a (with its CURVE key made first when
     * {@code curve}) and copied to {@code tmp}/ca-b; processes logging to a.log and b.log, added to {@code processes}.
     */
    static CaPair create(Path tmp, String database, boolean curve, List<CaProcess> processes) throws Exception {
        TestPostgres.Database db = TestPostgres.shared().createDatabase(database);
        Path dirA = tmp.resolve("ca-a");
        TestCa.initialize(dirA, "ec");
        String curveKey = curve ? CaCurveKey.loadOrCreate(new CaFiles(dirA)).publicKey() : null;
        Path dirB = tmp.resolve("ca-b");
        TempFolder.copy(dirA, dirB);
        CaProcess a = CaProcess.on(dirA, tmp.resolve("a.log"));
        CaProcess b = CaProcess.on(dirB, tmp.resolve("b.log"));
        processes.add(a);
        processes.add(b);
        return new CaPair(db, dirA, dirB, curveKey, a, b);
    }

    /** The options naming the shared store. */
    List<String> store() {
        return List.of("--store", db.storeUrl());
    }
}
