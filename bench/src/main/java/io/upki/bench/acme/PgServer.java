package io.upki.bench.acme;

import io.upki.pki.files.AtomicFiles;
import io.upki.testkit.postgres.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server for a bench script (the same initdb/pg_ctl fixture NonceCost uses): writes the
 * store URL and, in a separate 0600 file, the password, prints "ready", and stops the server when killed.
 *
 * <pre>{@code java -cp bench.jar io.upki.bench.acme.PgServer DIR   # DIR/store-url, DIR/store-password}</pre>
 */
public final class PgServer {
    private PgServer() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        TestPostgres pg = TestPostgres.shared(); // stopped by its shutdown hook on SIGTERM
        TestPostgres.Database db = pg.createDatabase("acme_replicas");
        AtomicFiles.writeSecret(dir.resolve("store-password"), db.password().getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("store-url"), db.storeUrl());
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
