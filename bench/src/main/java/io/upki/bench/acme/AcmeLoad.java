package io.upki.bench.acme;

import io.upki.bench.Stats;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Concurrent ACME issuance for a fixed time: N accounts issue certificates at once through one directory,
 * all answering http-01 from one responder (every RA replica validates on the same port), in rounds that
 * alternate between configurations of the server side; before each round a command switches the
 * configuration (for ra-replicas.sh: nginx reloaded with one or two ra-cores in its upstream).
 */
@Command(name = "acme-load", mixinStandardHelpOptions = true,
        description = "Concurrent ACME issuance (http-01) in timed rounds; one JSON line per round.")
public final class AcmeLoad implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--directory", required = true, description = "ACME directory URL.")
    String directory;

    @Option(names = "--trust", required = true, description = "PEM file of the CA that signed the server's TLS certificate.")
    Path trust;

    @CommandLine.Mixin
    Http01Options http01;

    @Option(names = "--clients", defaultValue = "8", description = "Concurrent ACME accounts, one order at a time each.")
    int clients;

    @Option(names = "--config", required = true, paramLabel = "LABEL=COMMAND",
            description = "A server-side configuration: its name and the shell command that switches to it. Repeat it;"
                    + " every round measures each configuration in the given order.")
    List<String> configs;

    @Option(names = "--warmup", defaultValue = "60", description = "Untimed seconds of issuance before the first round, in the last configuration.")
    int warmup;

    @Option(names = "--settle", defaultValue = "10", description = "Untimed seconds after each switch.")
    int settle;

    @Option(names = "--seconds", defaultValue = "30", description = "Measured seconds per configuration and round.")
    int seconds;

    @Option(names = "--rounds", defaultValue = "4", description = "Rounds.")
    int rounds;

    @Option(names = "--domain", defaultValue = "load.example.internal", description = "Names are <i>.<client>.<run>.<domain>.")
    String domain;

    /** What one timed phase saw: certificates issued before the deadline, their latencies, failed orders. */
    private record Phase(double seconds, List<Double> latencies, int errors) {
    }

    @Override
    public Integer call() throws Exception {
        Http01Responder http = http01.start(256, 4);
        Map<String, String> answers = http.answers();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<AcmeSession> sessions = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                sessions.add(AcmeSession.open(directory, trust));
            }
            String run = AcmeBench.runTag();
            String last = configs.get(configs.size() - 1);
            switchTo(last);
            phase(pool, sessions, answers, warmup, "w." + run);
            for (int round = 1; round <= rounds; round++) {
                for (String config : configs) {
                    String label = config.substring(0, config.indexOf('='));
                    switchTo(config);
                    phase(pool, sessions, answers, settle, "s" + round + label + "." + run);
                    Phase p = phase(pool, sessions, answers, seconds, "r" + round + label + "." + run);
                    List<Double> l = p.latencies();
                    System.out.println(JSON.createObjectNode().put("label", label).put("round", round)
                            .put("clients", clients).put("seconds", Stats.round(p.seconds(), 2)).put("certs", l.size())
                            .put("certs_per_s", Stats.round(l.size() / p.seconds(), 2)).put("errors", p.errors())
                            .put("p50_ms", Stats.round(Stats.nearestRank(l, 0.50), 2))
                            .put("p99_ms", Stats.round(Stats.nearestRank(l, 0.99), 2))
                            .put("load", java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
                    System.out.flush();
                }
            }
            return 0;
        } finally {
            pool.shutdownNow();
            http.close();
        }
    }

    private void switchTo(String config) throws Exception {
        int eq = config.indexOf('=');
        if (eq <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--config wants LABEL=COMMAND: " + config);
        }
        Process p = new ProcessBuilder("sh", "-c", config.substring(eq + 1)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("switching to " + config.substring(0, eq) + " failed: exit " + p.exitValue());
        }
    }

    /**
     * Every session issues one order after another until the deadline; an order that fails (a connection
     * closed by nginx's reload, say) is counted and the session goes on with the next.
     */
    private Phase phase(ExecutorService pool, List<AcmeSession> sessions, Map<String, String> answers, int secs,
            String tag) throws Exception {
        long start = System.nanoTime();
        long deadline = start + secs * 1_000_000_000L;
        List<Callable<Phase>> work = new ArrayList<>();
        for (int c = 0; c < sessions.size(); c++) {
            AcmeSession s = sessions.get(c);
            String suffix = c + "." + tag + "." + domain;
            work.add(() -> {
                List<Double> done = new ArrayList<>();
                int errors = 0;
                for (int i = 0; System.nanoTime() < deadline; i++) {
                    long t0 = System.nanoTime();
                    try {
                        AcmeBench.issue(s, answers, "o" + i + "." + suffix);
                        long t1 = System.nanoTime();
                        if (t1 <= deadline) {
                            done.add((t1 - t0) / 1e6);
                        }
                    } catch (Exception e) {
                        errors++;
                        if (errors <= 3) {
                            System.err.println("order failed: " + e.getMessage());
                        }
                    }
                }
                return new Phase(0, done, errors);
            });
        }
        List<Double> all = new ArrayList<>();
        int errors = 0;
        for (Future<Phase> f : pool.invokeAll(work)) {
            all.addAll(f.get().latencies());
            errors += f.get().errors();
        }
        return new Phase(secs, all, errors);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AcmeLoad()).execute(args));
    }
}
