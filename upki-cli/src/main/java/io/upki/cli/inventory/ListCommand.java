package io.upki.cli.inventory;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.wire.NodeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list}: the certificates the CA issued, oldest first, with their state. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List issued certificates, oldest first (soonest to expire first with --expiring): serial, "
                + "state, profile, expiry and subject.")
public final class ListCommand implements Callable<Integer> {
    private static final Set<String> STATES = Set.of("valid", "revoked", "expired");
    private static final Pattern WITHIN = Pattern.compile("(\\d{1,9})([dhm])");

    @Option(names = "--state", paramLabel = "STATE", description = "only valid, revoked or expired certificates")
    String state;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "only certificates of this profile")
    String profile;

    @Option(names = "--cn", paramLabel = "CN", description = "only certificates with this common name")
    String cn;

    @Option(names = "--expiring", paramLabel = "DURATION",
            description = "only valid certificates that expire within DURATION: 7d, 12h or 30m (e.g. --expiring 7d)")
    String expiring;

    @Option(names = "--limit", defaultValue = "1000", paramLabel = "N", description = "at most N (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--offset", defaultValue = "0", paramLabel = "N", description = "skip the first N matching (default 0)")
    int offset;

    @Mixin
    TransportOptions transport;

    @Mixin
    OutputOptions output;

    private final CliContext context;

    public ListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (state != null && !STATES.contains(state)) {
            throw CliException.usage("--state must be one of valid, revoked, expired");
        }
        if (limit < 1 || offset < 0) {
            throw CliException.usage("--limit must be positive and --offset not negative");
        }
        Duration within = expiring == null ? null : parseWithin(expiring);
        if (within != null && state != null && !state.equals("valid")) {
            throw CliException.usage("--expiring lists valid certificates; it cannot go with --state " + state);
        }
        List<NodeRecord> nodes;
        try (Authority ca = transport.open(context)) {
            nodes = ca.list(new Authority.NodeFilter(within != null ? "valid" : state, profile, cn), offset, limit);
        }
        if (within != null) {
            Instant now = context.clock().instant();
            Instant limitTime = now.plus(within);
            nodes = nodes.stream().filter(n -> {
                Instant notAfter = Instant.parse(n.notAfter());
                return notAfter.isAfter(now) && !notAfter.isAfter(limitTime);
            }).sorted(Comparator.comparing(NodeRecord::notAfter)).toList();
        }
        Output printer = new Output(context, output);
        printer.result(nodes);
        if (!printer.json()) {
            printer.line("%-42s %-8s %-8s %-25s %s", "SERIAL", "STATE", "PROFILE", "NOT AFTER", "SUBJECT");
            for (NodeRecord n : nodes) {
                printer.line("%-42s %-8s %-8s %-25s %s", "0x" + n.serial().toString(16), n.state(), n.profile(),
                        n.notAfter(), n.dn());
            }
            printer.line("%d certificate%s", nodes.size(), nodes.size() == 1 ? "" : "s");
        }
        return ExitCode.OK.code();
    }

    /** {@code 7d}, {@code 12h}, {@code 30m}: a positive count and one unit. */
    static Duration parseWithin(String text) {
        Matcher m = WITHIN.matcher(text.strip());
        if (!m.matches()) {
            throw CliException.usage("--expiring must be a number and d, h or m, such as 7d, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        if (n < 1 || n > 36_500L * 24 * 60) {
            throw CliException.usage("--expiring " + text + " is out of range");
        }
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
