package io.upki.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.files.AtomicFiles;
import io.upki.testkit.postgres.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Steps of {@code ca-bench.sh --compare}: a PostgreSQL server for the CA's store, and where a sign's CPU goes. */
final class CaCompare {
    /** Steps of one {@code sign}, by the method that runs them (a trailing {@code *} covers a package). */
    static final Map<String, String> SIGN_STEPS = JfrTop.steps("jfr-steps-ca-sign.tsv");

    private CaCompare() {
    }

    /**
     * {@code postgres}: a PostgreSQL 15 server of its own (the tests' {@link TestPostgres}: initdb in a
     * temporary folder, pg_ctl on a free loopback port, fsync on), with one database for a CA store; runs
     * until it is sent SIGTERM, then stops the server and removes its folder.
     */
    @Command(name = "postgres", mixinStandardHelpOptions = true,
            description = "Start a PostgreSQL server of its own with one database; write its --store URL and password "
                    + "file, then run until SIGTERM.")
    static final class Postgres implements Callable<Integer> {
        @Option(names = "--out", required = true,
                description = "Folder to write 'store-url' and 'password' (0600) into; 'ready' appears last.")
        Path out;

        @Override
        public Integer call() throws IOException, InterruptedException {
            TestPostgres server = TestPostgres.start();
            UntilTerminated running = UntilTerminated.onTerm("bench-postgres-stop", server::close);
            TestPostgres.Database db = server.createDatabase("ca_bench");
            Files.createDirectories(out);
            AtomicFiles.writeSecret(out.resolve("password"), db.password().getBytes(StandardCharsets.UTF_8));
            Files.writeString(out.resolve("store-url"), db.storeUrl() + "\n", StandardCharsets.UTF_8);
            Path ready = out.resolve("ready.tmp");
            Files.writeString(ready, "port " + db.port() + "\n", StandardCharsets.UTF_8);
            Files.move(ready, out.resolve("ready"), StandardCopyOption.ATOMIC_MOVE);
            System.err.println("postgres ready: " + db.storeUrl());
            running.await();
            return 0;
        }
    }

    /** {@code ca-profile}: where the CA's CPU went during a sign load, from a JFR recording of the CA. */
    @Command(name = "ca-profile", mixinStandardHelpOptions = true,
            description = "Summarise a JFR recording of the CA under a sign load: share of samples per step (one JSON line).")
    static final class Profile implements Callable<Integer> {
        @Option(names = "--jfr", required = true, description = "The recording (CA started with -XX:StartFlightRecording).")
        Path recording;

        @Option(names = "--label", defaultValue = "ca-profile", description = "Name of this figure in the report.")
        String label;

        @Option(names = "--top", defaultValue = "15", description = "Hottest methods to list (default ${DEFAULT-VALUE}).")
        int top;

        @Override
        public Integer call() throws IOException {
            ObjectNode summary = JfrTop.summarise(recording, label, top, SIGN_STEPS, "io.upki.ca.issue.");
            System.out.println(summary);
            return 0;
        }
    }
}
