package io.upki.cli.issue;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.terminal.ProgressBar;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.wire.ProfileDocument;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.x509.GeneralName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code generate}: the user guide's first step. The key pair is made here with the profile's key type
 * and size, only a CSR goes to the CA ({@code sign}), and {@code NAME.key} (0600), {@code NAME.crt} and
 * {@code ca.crt} are written to the output folder; {@code --count N} issues N identities in a row.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Make a key pair locally and have the CA sign it under a profile.",
                "Writes NAME.key (0600), NAME.crt and ca.crt; NAME is the profile's name unless --name says otherwise."})
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--cn", required = true, paramLabel = "CN",
            description = "common name; with --count, {n} is replaced by the number (else -{n} is inserted before the first dot)")
    String cn;

    @Option(names = "--profile", defaultValue = "server", paramLabel = "PROFILE",
            description = "CA profile: key type and size, validity and usages (default ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--san", paramLabel = "TYPE:VALUE",
            description = "subject alternative name, repeatable: DNS:name, IP:address, EMAIL:address, URI:uri")
    List<String> sans = new ArrayList<>();

    @Mixin
    OutputFolderOptions folder;

    @Option(names = "--name", paramLabel = "NAME",
            description = "base name of the key and certificate files (default: the profile's name; with --count: the CN)")
    String name;

    @Option(names = "--count", defaultValue = "1", paramLabel = "N", description = "issue N identities (default 1)")
    int count;

    @Mixin
    TransportOptions transport;

    @Mixin
    OutputOptions output;

    private final CliContext context;

    public GenerateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (count < 1 || count > 100_000) {
            throw CliException.usage("--count must be between 1 and 100000");
        }
        List<GeneralName> sanNames = SubjectNames.sans(sans);
        Path dir = folder.folder(context);
        List<String> cns = new ArrayList<>();
        List<IdentityFiles> files = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            String thisCn = count == 1 ? cn.strip() : numbered(cn.strip(), n);
            cns.add(thisCn);
            String base = name != null ? (count == 1 ? name : numbered(name, n)) : count == 1 ? profile : thisCn;
            files.add(new IdentityFiles(dir, base));
        }
        Output printer = new Output(context, output);
        try (Authority ca = transport.open(context)) {
            Issuance issuance = new Issuance(ca, new SecureRandom());
            // Everything that can fail without issuing is checked first: profile, CA certificate, files.
            ProfileDocument doc = issuance.profile(profile);
            String caPem = issuance.caCertificate();
            for (IdentityFiles f : files) {
                f.checkWritable(folder.force(), caPem);
            }
            List<Issuance.Issued> issued = new ArrayList<>();
            try (ProgressBar bar = new ProgressBar(context.err(), context.clock(), context.stderrTty() && count > 1,
                    "generate", count)) {
                for (int i = 0; i < count; i++) {
                    try {
                        issued.add(issuance.issue(cns.get(i), profile, doc, sanNames, files.get(i), caPem, folder.force()));
                        bar.step(true);
                    } catch (CliException e) {
                        bar.step(false);
                        if (count > 1) {
                            bar.message("upki-cli: stopped after " + issued.size() + " of " + count + " certificates");
                        }
                        throw e;
                    }
                }
            }
            report(printer, issued);
        }
        return ExitCode.OK.code();
    }

    private void report(Output printer, List<Issuance.Issued> issued) {
        printer.result(count == 1 ? issued.get(0) : issued);
        for (Issuance.Issued i : issued) {
            printer.line("issued %s (serial 0x%s, profile %s, valid until %s)", i.dn(), i.serialHex(), i.profile(), i.notAfter());
            printer.line("  key %s (0600), certificate %s", i.key(), i.certificate());
        }
        if (!issued.isEmpty()) {
            printer.line("  CA certificate %s", issued.get(0).caCertificate());
        }
    }

    /** {@code {n}} replaced by the number, or {@code -n} inserted before the first dot. */
    static String numbered(String template, int n) {
        if (template.contains("{n}")) {
            return template.replace("{n}", Integer.toString(n));
        }
        int dot = template.indexOf('.');
        return dot < 0 ? template + "-" + n : template.substring(0, dot) + "-" + n + template.substring(dot);
    }
}
