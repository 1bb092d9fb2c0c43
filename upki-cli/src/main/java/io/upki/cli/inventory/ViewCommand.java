package io.upki.cli.inventory;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.ExitCode;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TargetOptions;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.wire.CertificateView;
import io.upki.pki.wire.SubjectAltName;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code view}: one certificate as the CA holds it, with its revocation state. */
@Command(name = "view", mixinStandardHelpOptions = true,
        description = "Show one certificate (by --dn, --cn or --serial): subject, validity, SANs, usages, state.")
public final class ViewCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Mixin
    TransportOptions transport;

    @Mixin
    OutputOptions output;

    private final CliContext context;

    public ViewCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        CertificateView v;
        try (Authority ca = transport.open(context)) {
            v = ca.view(target.ref());
        }
        Output printer = new Output(context, output);
        printer.result(v);
        printer.line("subject      %s", v.dn() != null ? v.dn() : name(v.subject()));
        printer.line("serial       0x%s (%s)", v.serialNumber().toString(16), v.serialNumber());
        printer.line("profile      %s", v.profile());
        printer.line("valid        %s .. %s", v.notValidBefore(), v.notValidAfter());
        printer.line("state        %s", v.isRevoked() ? "revoked (" + v.revokeReason() + ", " + v.revokeDate() + ")"
                : v.isValid() ? "valid" : "not valid");
        if (v.sans() != null && !v.sans().isEmpty()) {
            printer.line("SANs         %s", v.sans().stream().map(ViewCommand::san).collect(Collectors.joining(", ")));
        }
        if (v.keyUsage() != null) {
            printer.line("key usage    %s", v.keyUsage().entrySet().stream().filter(Map.Entry::getValue)
                    .map(Map.Entry::getKey).collect(Collectors.joining(", ")));
        }
        if (v.extendedKeyUsage() != null) {
            printer.line("ext. usage   %s", String.join(", ", v.extendedKeyUsage()));
        }
        printer.line("issuer       %s", name(v.issuer()));
        printer.line("sha256       %s", v.fingerprint());
        return ExitCode.OK.code();
    }

    /** uPKI's name map ({@code commonName -> x}) as one line, in the CA's order. */
    static String name(Map<String, String> attributes) {
        return attributes == null ? "-" : attributes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** A SAN as it is written on the command line ({@code DNS:x}). */
    static String san(SubjectAltName s) {
        return s.type() + ":" + s.value();
    }
}
