package io.upki.cli.revoke;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.ExitCode;
import io.upki.cli.crl.CrlReport;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code generate-crl}: the user guide's last step, a new CRL signed now so that a revocation takes effect. */
@Command(name = "generate-crl", mixinStandardHelpOptions = true,
        description = "Have the CA sign a new CRL now and print its number, next update and size.")
public final class GenerateCrlCommand implements Callable<Integer> {
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
        printer.result(report.summary());
        printer.line("signed CRL number %s: %d entries, %d bytes, next update %s", report.number(),
                report.entries().size(), der.length, report.nextUpdate());
        return ExitCode.OK.code();
    }
}
