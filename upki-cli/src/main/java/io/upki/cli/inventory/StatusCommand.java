package io.upki.cli.inventory;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.ExitCode;
import io.upki.cli.crl.CrlReport;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.x509.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code status}: is the CA (or RA) reachable, how long one round trip takes, which CA it is and how
 * current its CRL is. Exit code 3 when it does not answer, so it doubles as a health check.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Check that the CA (or RA) answers: round-trip time, CA subject and expiry, CRL number and next update.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    TransportOptions transport;

    @Mixin
    OutputOptions output;

    private final CliContext context;

    public StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String caPem;
        Duration roundTrip;
        CrlReport crl;
        String endpoint;
        try (Authority ca = transport.open(context)) {
            endpoint = ca.endpoint();
            // The first call also opens the connection; the round trip is measured on a second one.
            ca.caCertificate();
            Instant start = context.clock().instant();
            caPem = ca.caCertificate();
            roundTrip = Duration.between(start, context.clock().instant());
            crl = CrlReport.parse(ca.crl());
        }
        X509Certificate caCert = Pem.parseCertificate(caPem);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("endpoint", endpoint);
        result.put("reachable", true);
        result.put("round_trip_ms", roundTrip.toNanos() / 1_000_000.0);
        result.put("ca_subject", caCert.getSubjectX500Principal().getName());
        result.put("ca_not_after", caCert.getNotAfter().toInstant().toString());
        result.put("crl_number", crl.number());
        result.put("crl_next_update", crl.nextUpdate());
        result.put("crl_entries", crl.entries().size());
        Output printer = new Output(context, output);
        printer.result(result);
        printer.line("%s is reachable (round trip %.1f ms)", endpoint, roundTrip.toNanos() / 1_000_000.0);
        printer.line("CA           %s (valid until %s)", result.get("ca_subject"), result.get("ca_not_after"));
        printer.line("CRL number   %s, %d entries, next update %s", crl.number(), crl.entries().size(), crl.nextUpdate());
        return ExitCode.OK.code();
    }
}
