package io.upki.bench;

import io.upki.pki.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of the ca-server benchmark: each sub-command is one step that {@code ca-bench.sh} runs. */
@Command(name = "ca-bench", mixinStandardHelpOptions = true, version = "upki bench 0.1.0",
        description = "Steps of the ca-server benchmark (see bench/README.md); ca-bench.sh runs them in order.",
        subcommands = {CaBench.AuthCompareReport.class, CaBench.SeedStore.class, CaBench.Measure.class, CaBench.SignSpeed.class,
                CaBench.FreePort.class, CaBench.Report.class, CaBench.Compare.class, CaCompare.Postgres.class,
                CaCompare.Profile.class})
public final class CaBench implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** {@code seed-store}: synthetic certificates and revocations written while the CA is stopped. */
    @Command(name = "seed-store", mixinStandardHelpOptions = true,
            description = "Insert synthetic certificates and mark some revoked, directly in a STOPPED CA's store.")
    static final class SeedStore implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "CA data directory (the CA must be stopped).")
        Path dataDir;

        @Option(names = "--count", defaultValue = "0", description = "Certificates to add (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--revoked", defaultValue = "-1",
                description = "Total revoked certificates wanted in the store afterwards; -1 leaves revocations alone.")
        int revoked;

        @Option(names = "--serials", defaultValue = "0",
                description = "Distinct unrevoked certificates to list in --serials-out for the revoke measurement.")
        int serials;

        @Option(names = "--serials-out", description = "File to write --serials decimal serials to, one a line.")
        Path serialsOut;

        @Option(names = "--batch", defaultValue = "10000", description = "Rows per transaction (default ${DEFAULT-VALUE}).")
        int batch;

        @Override
        public Integer call() throws IOException {
            if (serials > 0 && serialsOut == null) {
                throw new IllegalArgumentException("--serials needs --serials-out");
            }
            try (StoreSeeder seeder = StoreSeeder.open(dataDir, batch)) {
                seeder.seed(count, revoked, serials, serialsOut);
            }
            return 0;
        }
    }

    /** {@code measure}: drives one task against a running CA and prints one JSON line. */
    @Command(name = "measure", mixinStandardHelpOptions = true,
            description = "Drive one task with C concurrent clients; print a JSON line with throughput and latency percentiles.")
    static final class Measure implements Callable<Integer> {
        @Option(names = "--endpoint", required = true, description = "Operations endpoint, e.g. tcp://127.0.0.1:5000.")
        String endpoint;

        @Option(names = "--task", required = true, description = "sign, get_ca, list_page (the console's search page), revoke or generate_crl.")
        String task;

        @Option(names = "--clients", defaultValue = "1", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--seconds", defaultValue = "0",
                description = "Measure for this long (duration mode); 0 means count mode with --calls.")
        double seconds;

        @Option(names = "--calls", defaultValue = "0", description = "Calls to measure in count mode.")
        int calls;

        @Option(names = "--warmup-seconds", defaultValue = "3",
                description = "Duration mode: calls in this first period are not measured (default ${DEFAULT-VALUE}).")
        double warmupSeconds;

        @Option(names = "--warmup-calls", defaultValue = "0", description = "Count mode: unmeasured calls first.")
        int warmupCalls;

        @Option(names = "--serials-file", description = "revoke: file of distinct unrevoked serials, one a line.")
        Path serialsFile;

        @Option(names = "--profile", defaultValue = "server", description = "sign: CA profile (default ${DEFAULT-VALUE}).")
        String profile;

        @Option(names = "--csrs", defaultValue = "8", description = "sign: EC P-256 CSRs made up front (default ${DEFAULT-VALUE}).")
        int csrs;

        @Option(names = "--csr-key", defaultValue = "ec-p256",
                description = "sign: key of the CSRs, ec-p256 or rsa-2048 (default ${DEFAULT-VALUE}).")
        String csrKey;

        @CommandLine.Mixin
        ServerCpuOptions server;

        @Option(names = "--label", defaultValue = "", description = "Name of this figure in the report.")
        String label;

        @Option(names = "--ca-public-key", description = "sign, get_ca: the CA's CURVE public key or curve.pub (CURVE clients).")
        String caPublicKey;

        @Option(names = "--client-key", description = "With --ca-public-key: the clients' key pair file (a known key).")
        Path clientKey;

        @Override
        public Integer call() throws IOException, InterruptedException {
            LoadDriver.Plan plan = new LoadDriver.Plan(task, clients, seconds, calls, warmupSeconds, warmupCalls,
                    profile, csrs, csrKey, serialsFile);
            LoadDriver.Outcome outcome = new LoadDriver(endpoint, server.cpu(),
                    io.upki.pki.caclient.CaCurve.open(caPublicKey, clientKey)).run(plan, label);
            System.err.println("  " + outcome.summary());
            System.out.println(outcome.json());
            return 0;
        }
    }

    /** {@code sign-speed}: the CA key's signing rate inside this JVM, without the CA around it. */
    @Command(name = "sign-speed", mixinStandardHelpOptions = true,
            description = "Sign with the CA key in-process for S seconds on T threads (the JVM's own limit).")
    static final class SignSpeed implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "CA data directory.")
        Path dataDir;

        @Option(names = "--seconds", defaultValue = "3", description = "Measured seconds (default ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--threads", defaultValue = "1", description = "Signing threads (default ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--label", defaultValue = "jvm-sign", description = "Name of this figure in the report.")
        String label;

        @CommandLine.Mixin
        io.upki.ca.keys.Pkcs11Options pkcs11;

        @Override
        public Integer call() throws InterruptedException {
            System.out.println(JvmSignSpeed.measure(dataDir, pkcs11.settings(), seconds, threads, label));
            return 0;
        }
    }

    /** {@code free-port}: a loopback port P such that P and P + 1 (registration) are both free. */
    @Command(name = "free-port", mixinStandardHelpOptions = true,
            description = "Print a loopback port P where P and P+1 are both free.")
    static final class FreePort implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            System.out.println(LoopbackPorts.freeRun(2));
            return 0;
        }
    }

    /** {@code report}: the Markdown table of one run, from its JSON lines. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Turn the JSON lines of one run into the Markdown report (stdout and --out).")
    static final class Report extends MarkdownReportCommand {
        Report() {
            super(BenchReport::render);
        }
    }

    /** {@code auth-report}: the markdown report of {@code ca-bench.sh --auth-compare}. */
    @Command(name = "auth-report", mixinStandardHelpOptions = true,
            description = "Render the curve-against-none comparison (JSON lines of ca-bench.sh --auth-compare).")
    static final class AuthCompareReport extends MarkdownReportCommand {
        AuthCompareReport() {
            super(AuthReport::render);
        }
    }

    /** {@code compare-report}: ratios of figures measured in interleaved rounds ({@code NAME-rN} labels). */
    @Command(name = "compare-report", mixinStandardHelpOptions = true,
            description = "Render per-round ratios of an interleaved comparison (JSON lines labelled NAME-rN).")
    static final class Compare extends MarkdownReportCommand {
        @Option(names = "--title", required = true, description = "Title of the report.")
        String title;

        @Option(names = "--intro", defaultValue = "", description = "A paragraph saying what was compared and how.")
        String intro;

        @Option(names = "--ratio", required = true,
                description = "NAME=NUM/DEN[>=TARGET]: figure NUM over figure DEN, round by round (repeatable).")
        java.util.List<String> ratios;

        @Override
        String render(Path results) throws IOException {
            return CompareReport.render(results, title, intro, ratios.stream().map(CompareReport.Ratio::parse).toList());
        }
    }

    public static void main(String[] args) {
        // Same entry point as the upki processes, so the driver signs with the same (native) provider.
        ProcessRunner.main("ca-bench", new CaBench(), args);
    }
}
