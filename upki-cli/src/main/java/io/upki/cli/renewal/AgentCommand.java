package io.upki.cli.renewal;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent} (also {@code renew --daemon}): keeps certificate/key pairs renewed through the RA, each with
 * its own certificate over mutual TLS, until stopped; {@code --once} looks once (for a systemd timer).
 */
@Command(name = "agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Keep certificate/key pairs renewed: each is renewed through the RA (POST /api/client/renew, "
                + "authenticated by the certificate itself) at two thirds of its lifetime, a little earlier at random; "
                + "the new key is made here and only a CSR is sent; the new pair replaces the old atomically; "
                + "--exec runs after each renewal. The RA being down is retried with backoff; only a configuration "
                + "error ends the agent (exit 2 or 4)."})
public final class AgentCommand implements Callable<Integer> {
    /** One watched pair on the command line. */
    static final class PairOptions {
        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "certificate PEM to keep renewed")
        String cert;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "its private key PEM (0600)")
        String key;
    }

    @ArgGroup(exclusive = false, multiplicity = "0..*")
    List<PairOptions> pairs = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON: {\"ra\", \"cacert\", \"exec\": [argv], \"pairs\": [{\"cert\", \"key\", \"exec\"}]} (docs/CLI.md)")
    String config;

    @Option(names = "--ra", paramLabel = "URL", description = "the ra-core's HTTPS URL (env UPKI_RA_URL)")
    String ra;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "CA certificate that must sign the RA's and the new certificates (env UPKI_CLI_CACERT; default ca.crt)")
    String caCert;

    @Option(names = "--exec", paramLabel = "CMD",
            description = "command to run after a renewal, split on spaces and run without a shell, e.g. \"systemctl reload nginx\"")
    String exec;

    @Option(names = "--once", description = "look once, renew what is due, and exit (for a systemd timer)")
    boolean once;

    @Option(names = "--force", description = "with --once: renew every pair now")
    boolean force;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "longest wait for the RA per renewal (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    private final CliContext context;

    public AgentCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (force && !once) {
            throw CliException.usage("--force goes with --once (the agent renews on its own schedule)");
        }
        List<AgentSettings.CliPair> cli = pairs.stream().map(p -> new AgentSettings.CliPair(p.cert, p.key)).toList();
        return run(context, AgentSettings.resolve(context, ra, caCert, exec, cli, config), once, force, timeoutSeconds);
    }

    /** Runs the agent on validated settings: shared with {@code renew --daemon}. */
    public static int run(CliContext context, AgentSettings settings, boolean once, boolean force, int timeoutSeconds) {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw CliException.usage("--timeout must be between 1 and 3600 seconds");
        }
        SecureRandom random = new SecureRandom();
        SelfRenewal renewal = new SelfRenewal(settings.ra(), settings.caCert(), Duration.ofSeconds(timeoutSeconds), random);
        PrintWriter log = context.err();
        RenewalAgent agent = new RenewalAgent(settings.watches(), renewal, context.clock(), random,
                d -> Thread.sleep(d.toMillis()), RenewalAgent.Timing.DEFAULT, log);
        if (once) {
            // A timer's run: a failure is reported (exit 3) and the timer tries again at its next tick.
            return agent.runOnce(force) ? ExitCode.OK.code() : ExitCode.UNREACHABLE.code();
        }
        log.println("upki-cli agent: watching " + settings.watches().size() + " pair(s), RA " + settings.ra());
        log.flush();
        try {
            agent.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK.code();
    }
}
