package io.upki.cli.revoke;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.ExitCode;
import io.upki.cli.crl.CrlReport;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate-crl}: the user guide's last step, a new CRL signed now so that a revocation takes effect. */
@Command(name = "generate-crl", mixinStandardHelpOptions = true,
        description = {"Have the CA sign a new CRL now and print its number, next update and size.",
                "With --publisher, wait until each crl-publisher serves it and warn when none does: sidecars "
                        + "following only those publishers keep the old CRL until one does (or their CA fallback takes it)."})
public final class GenerateCrlCommand implements Callable<Integer> {
    @Option(names = "--publisher", split = ",", paramLabel = "URL",
            description = "crl-publisher base URLs (http://publisher:8081), comma-separated (env UPKI_PUBLISHERS): "
                    + "check that they took the new CRL.")
    List<String> publishers = new ArrayList<>();

    @Option(names = "--publisher-wait", defaultValue = "PT3S", paramLabel = "DURATION",
            description = "How long to wait for the publishers to take it (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration publisherWait;

    @Mixin
    TransportOptions transport;

    @Mixin
    OutputOptions output;

    private final CliContext context;

    public GenerateCrlCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        byte[] der;
        try (Authority ca = transport.open(context)) {
            der = ca.generateCrl();
        }
        CrlReport report = CrlReport.parse(der);
        Output printer = new Output(context, output);
        Map<String, Object> result = new LinkedHashMap<>(report.summary());
        List<PublisherCheck.Result> taken = publishers.isEmpty() ? List.of()
                : new PublisherCheck(context.clock()).await(publishers, report.number() == null ? java.math.BigInteger.ZERO : report.number(), publisherWait);
        if (!publishers.isEmpty()) {
            result.put("publishers", taken.stream().map(PublisherCheck.Result::json).toList());
        }
        printer.result(result);
        printer.line("signed CRL number %s: %d entries, %d bytes, next update %s", report.number(),
                report.entries().size(), der.length, report.nextUpdate());
        for (PublisherCheck.Result r : taken) {
            printer.line("  %s %s", r.url(), r.took() ? "serves CRL " + r.serving()
                    : r.serving() != null ? "still serves CRL " + r.serving() : "did not answer (" + r.error() + ")");
        }
        if (!taken.isEmpty() && taken.stream().noneMatch(PublisherCheck.Result::took)) {
            printer.note("warning: no crl-publisher took CRL " + report.number() + " within " + publisherWait.toMillis()
                    + " ms; sidecars following only them still use the old CRL until one does, or until their CA "
                    + "fallback (--ca-events) takes it from the CA");
        }
        return ExitCode.OK.code();
    }
}
