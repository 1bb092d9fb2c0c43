package io.upki.cli.admin;

import io.upki.cli.clients.OperatorEnrolment;
import io.upki.cli.clients.SeedFileOption;
import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.issue.IdentityFiles;
import io.upki.cli.issue.Issuance;
import io.upki.cli.issue.OutputFolderOptions;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.wire.ProfileDocument;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code admin bootstrap}: the first administrator of a new installation, in one step. */
@Command(name = "admin", mixinStandardHelpOptions = true, subcommands = AdminCommand.Bootstrap.class,
        description = {"Set up administrators.",
                "'admin bootstrap' issues an admin certificate and adds its DN to the CA's admin list."})
public final class AdminCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw CliException.usage("admin needs a subcommand: bootstrap");
    }

    /**
     * Issues an admin certificate for a local key (as {@code generate}) and adds its subject DN to the
     * CA's admin list, so the RA and sidecar accept it both by profile and by list, and the Python uPKI
     * RA (which knows only the list) accepts it too.
     */
    @Command(name = "bootstrap", mixinStandardHelpOptions = true,
            description = {"Issue an admin certificate (key made here) and add its DN to the CA's admin list.",
                    "This makes the first admin of a new installation. Writes NAME.key (0600), NAME.crt and ca.crt."})
    public static final class Bootstrap implements Callable<Integer> {
        @Option(names = "--cn", required = true, paramLabel = "CN", description = "common name, e.g. admin.example.internal")
        String cn;

        @Option(names = "--profile", defaultValue = "admin", paramLabel = "PROFILE", description = "default ${DEFAULT-VALUE}")
        String profile;

        @Mixin
        OutputFolderOptions folder;

        @Option(names = "--name", paramLabel = "NAME", description = "base name of the files (default: the profile's name)")
        String name;

        @Mixin
        SeedFileOption seedFile;

        @Mixin
        TransportOptions transport;

        @Mixin
        OutputOptions output;

        private final CliContext context;

        public Bootstrap(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            IdentityFiles files = new IdentityFiles(folder.folder(context), name == null ? profile : name);
            String seed = seedFile.seed(context);
            if (transport.curve(context).enabled() && seed != null) {
                // A CURVE CA serves known keys only: the first operator's key enrols with the seed first.
                OperatorEnrolment.enrol(context, transport, seed, cn.strip());
            }
            Issuance.Issued issued;
            List<String> admins;
            try (Authority ca = transport.open(context)) {
                Issuance issuance = new Issuance(ca, new SecureRandom());
                ProfileDocument doc = issuance.profile(profile);
                String caPem = issuance.caCertificate();
                files.checkWritable(folder.force(), caPem);
                issued = issuance.issue(cn.strip(), profile, doc, List.of(), files, caPem, folder.force());
                try {
                    ca.addAdmin(issued.dn());
                } catch (CliException e) {
                    // The files exist: say so, so that a retry uses 'admins add --from-cert' instead of a new key.
                    throw new CliException(e.exitCode(), e.getMessage() + "; the certificate was issued (" + issued.certificate()
                            + "): run 'upki-cli admins add --from-cert " + issued.certificate() + "'");
                }
                admins = ca.admins();
            }
            Output printer = new Output(context, output);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("issued", issued);
            result.put("admins", admins);
            printer.result(result);
            printer.line("issued %s (serial 0x%s, valid until %s)", issued.dn(), issued.serialHex(), issued.notAfter());
            printer.line("  key %s (0600), certificate %s, CA certificate %s", issued.key(), issued.certificate(),
                    issued.caCertificate());
            printer.line("added %s to the CA's admin list (%d admin%s)", issued.dn(), admins.size(), admins.size() == 1 ? "" : "s");
            printer.line("try: curl --cert %s --key %s --cacert %s https://<ra>:8000/api/v1/health", issued.certificate(),
                    issued.key(), issued.caCertificate());
            return ExitCode.OK.code();
        }
    }
}
