package io.upki.cli.issue;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.renewal.AgentCommand;
import io.upki.cli.renewal.AgentSettings;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.CertificateRef;
import io.upki.cli.transport.TargetOptions;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code renew}: a new certificate (new serial) for the same subject, key, SANs and profile; the old one
 * stays valid until it expires or is revoked, so a service can switch over without a gap.
 */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = {"With --dn, --cn or --serial: have the CA issue a new certificate for the same key and subject "
                + "(new serial); writes it to --out (replaced atomically), or prints the PEM on stdout.",
                "With --ra, --cert and --key only: renew that pair itself through the RA (a new key made here, "
                        + "the pair replaced atomically, --exec run after); with --daemon keep it renewed "
                        + "(as 'upki-cli agent')."})
public final class RenewCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    TargetOptions target;

    @Option(names = "--daemon", description = "with --ra --cert --key: keep the pair renewed until stopped (upki-cli agent)")
    boolean daemon;

    @Option(names = "--exec", paramLabel = "CMD",
            description = "with --cert --key: command to run after a renewal, split on spaces, no shell")
    String exec;

    @Option(names = "--duration", paramLabel = "DAYS", description = "validity in days (default: the profile's)")
    Integer duration;

    @Option(names = "--out", paramLabel = "FILE", description = "write the new certificate here, e.g. admin.crt")
    String out;

    @Mixin
    TransportOptions transport;

    @Mixin
    OutputOptions output;

    private final CliContext context;

    public RenewCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (target == null) {
            return renewPair();
        }
        if (daemon || exec != null) {
            throw CliException.usage("--daemon and --exec renew a pair (--ra --cert --key), not --dn, --cn or --serial");
        }
        if (duration != null && (duration < 1 || duration > 36_500)) {
            throw CliException.usage("--duration must be between 1 and 36500 days");
        }
        CertificateRef ref = target.ref();
        Output printer = new Output(context, output);
        SignedCertificate renewed;
        try (Authority ca = transport.open(context)) {
            renewed = ca.renew(ref, duration);
        }
        X509Certificate cert = Pem.parseCertificate(renewed.certificate());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("serial", cert.getSerialNumber());
        result.put("serial_hex", CertificateFacts.serialHex(cert.getSerialNumber()));
        result.put("not_after", cert.getNotAfter().toInstant().toString());
        result.put("certificate", renewed.certificate());
        String summary = "renewed " + ref.describe() + ": new serial 0x" + CertificateFacts.serialHex(cert.getSerialNumber())
                + ", valid until " + cert.getNotAfter().toInstant();
        if (out != null) {
            Path file = context.resolve(out);
            try {
                AtomicFiles.writePublic(file, renewed.certificate().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw CliException.localFile("cannot write " + file, e);
            }
            result.put("file", file.toString());
            printer.line(summary + ", written to " + file);
        } else if (!printer.json()) {
            // stdout carries the certificate (renew ... > x.crt), so the summary goes to stderr.
            printer.note(summary);
            context.out().print(renewed.certificate());
            context.out().flush();
        }
        printer.result(result);
        return ExitCode.OK.code();
    }

    /** The pair named by --cert and --key renews itself at the RA: now, or on its schedule with --daemon. */
    private int renewPair() {
        if (transport.raUrl() == null || transport.certOption() == null || transport.keyOption() == null) {
            throw CliException.usage("renew needs --dn, --cn or --serial (the CA renews that certificate), "
                    + "or --ra with --cert and --key (the pair renews itself)");
        }
        if (duration != null || out != null) {
            throw CliException.usage("--duration and --out are for --dn, --cn or --serial; a pair is renewed in place");
        }
        AgentSettings settings = AgentSettings.resolve(context, transport.raUrl(), transport.caCertOption(), exec,
                List.of(new AgentSettings.CliPair(transport.certOption(), transport.keyOption())), null);
        return AgentCommand.run(context, settings, !daemon, !daemon, 30);
    }
}
