package io.upki.cli.revoke;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.terminal.ProgressBar;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.CertificateRef;
import io.upki.cli.transport.TargetOptions;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code revoke}: one certificate by DN, CN or serial, or every certificate listed in a file. A bulk run
 * goes on past a refused line (reporting it) but stops when the CA stops answering, since every later
 * line would wait for the same timeout.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke a certificate (by --dn, --cn or --serial) or every one listed in --from-file.",
                "The CRL lists it once a new CRL is signed: run generate-crl (the crl-publisher does it on its own)."})
public final class RevokeCommand implements Callable<Integer> {
    /** The certificate, or the file of certificates: exactly one. */
    static final class Targets {
        @ArgGroup(exclusive = true, multiplicity = "1")
        TargetOptions one;

        @Option(names = "--from-file", paramLabel = "FILE",
                description = "one serial, DN or CN per line; blank lines and lines starting with # are skipped")
        String fromFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Targets targets;

    @Option(names = "--reason", defaultValue = "unspecified", paramLabel = "REASON",
            description = "RFC 5280 reason: unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, "
                    + "cessationOfOperation, certificateHold, privilegeWithdrawn, aACompromise (default ${DEFAULT-VALUE})")
    String reason;

    @Mixin
    TransportOptions transport;

    @Mixin
    OutputOptions output;

    private final CliContext context;

    public RevokeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        RevocationReason why = RevocationReason.fromWireName(reason)
                .filter(r -> r != RevocationReason.REMOVE_FROM_CRL)
                .orElseThrow(() -> CliException.usage("invalid --reason '" + reason + "'; use one of "
                        + RevocationReason.wireNames().stream().filter(n -> !n.equals("removeFromCRL")).toList()));
        Output printer = new Output(context, output);
        if (targets.fromFile == null) {
            CertificateRef ref = targets.one.ref();
            try (Authority ca = transport.open(context)) {
                ca.revoke(ref, why);
            }
            printer.result(Map.of("revoked", ref.describe(), "reason", why.wireName()));
            printer.line("revoked %s (%s)", ref.describe(), why.wireName());
            return ExitCode.OK.code();
        }
        return bulk(readTargets(context.resolve(targets.fromFile)), why, printer);
    }

    private int bulk(List<Line> lines, RevocationReason why, Output printer) {
        List<Map<String, Object>> failures = new ArrayList<>();
        int revoked = 0;
        ExitCode worst = ExitCode.OK;
        try (Authority ca = transport.open(context);
             ProgressBar bar = new ProgressBar(context.err(), context.clock(), context.stderrTty(), "revoke", lines.size())) {
            for (Line line : lines) {
                try {
                    ca.revoke(line.ref(), why);
                    revoked++;
                    bar.step(true);
                } catch (CliException e) {
                    bar.step(false);
                    Map<String, Object> failure = new LinkedHashMap<>();
                    failure.put("line", line.number());
                    failure.put("target", line.ref().describe());
                    failure.put("error", e.getMessage());
                    failures.add(failure);
                    bar.message("upki-cli: line " + line.number() + ": " + e.getMessage());
                    worst = e.exitCode();
                    if (e.exitCode() == ExitCode.UNREACHABLE) {
                        break;
                    }
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("revoked", revoked);
        result.put("total", lines.size());
        result.put("reason", why.wireName());
        result.put("failures", failures);
        printer.result(result);
        printer.line("revoked %d of %d (%s)%s", revoked, lines.size(), why.wireName(),
                failures.isEmpty() ? "" : ", " + failures.size() + " failed");
        return worst.code();
    }

    /** One target of a bulk file, with its line number for messages. */
    record Line(int number, CertificateRef ref) {
    }

    /** Parses the whole file first, so a typo on line 900 stops the run before line 1 is revoked. */
    static List<Line> readTargets(Path file) {
        List<String> text;
        try {
            text = Files.readAllLines(file);
        } catch (IOException e) {
            throw CliException.localFile("cannot read --from-file " + file, e);
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String t = text.get(i).strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            try {
                boolean serial = t.matches("[0-9]+") || t.regionMatches(true, 0, "0x", 0, 2) || t.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2})+");
                lines.add(new Line(i + 1, serial ? CertificateRef.parseSerial(t)
                        : t.contains("=") ? CertificateRef.parseDn(t) : CertificateRef.ofCn(t)));
            } catch (CliException e) {
                throw CliException.usage(file.getFileName() + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (lines.isEmpty()) {
            throw CliException.usage("--from-file " + file + " lists no certificate");
        }
        return lines;
    }
}
