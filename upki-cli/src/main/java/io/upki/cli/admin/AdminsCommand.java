package io.upki.cli.admin;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admins list|add|remove}: the DNs the CA (and so the RA and sidecar) treat as administrators. */
@Command(name = "admins", mixinStandardHelpOptions = true, subcommands = {
        AdminsCommand.ListAdmins.class, AdminsCommand.AddAdmin.class, AdminsCommand.RemoveAdmin.class},
        description = "List, add or remove administrator DNs on the CA's admin list.")
public final class AdminsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw CliException.usage("admins needs a subcommand: list, add or remove");
    }

    /** The DN to add or remove: given, or read from a certificate file. */
    static final class Who {
        @Parameters(arity = "0..1", paramLabel = "DN", description = "DN, slash (/C=FR/.../CN=x) or RFC 4514 form")
        String dn;

        @Option(names = "--from-cert", paramLabel = "FILE", description = "take the DN from this certificate, e.g. admin.crt")
        String fromCert;

        String resolve(CliContext context) {
            if (fromCert != null) {
                Path file = context.resolve(fromCert);
                try {
                    return DistinguishedNames.toSlash(CertificateFacts.subject(Pem.parseCertificate(Files.readString(file))));
                } catch (IOException | IllegalArgumentException e) {
                    throw CliException.localFile("--from-cert " + file + ": no readable certificate", e);
                }
            }
            try {
                DistinguishedNames.parse(dn);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("invalid DN '" + dn + "': " + e.getMessage());
            }
            return dn.strip();
        }
    }

    /** {@code admins list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the admin DNs, one per line.")
    public static final class ListAdmins implements Callable<Integer> {
        @Mixin
        TransportOptions transport;

        @Mixin
        OutputOptions output;

        private final CliContext context;

        public ListAdmins(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<String> admins;
            try (Authority ca = transport.open(context)) {
                admins = ca.admins();
            }
            Output printer = new Output(context, output);
            printer.result(admins);
            admins.forEach(printer::line);
            return ExitCode.OK.code();
        }
    }

    /** Adding and removing differ only in the CA call and the words: one option set, one flow. */
    abstract static class AdminChange implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Who who;

        @Mixin
        TransportOptions transport;

        @Mixin
        OutputOptions output;

        private final CliContext context;
        private final String done;

        AdminChange(CliContext context, String done) {
            this.context = context;
            this.done = done;
        }

        abstract void apply(Authority ca, String dn);

        @Override
        public Integer call() {
            String dn = who.resolve(context);
            try (Authority ca = transport.open(context)) {
                apply(ca, dn);
            }
            Output printer = new Output(context, output);
            printer.result(Map.of(done, dn));
            printer.line("%s admin %s", done, dn);
            return ExitCode.OK.code();
        }
    }

    /** {@code admins add}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a DN to the admin list.")
    public static final class AddAdmin extends AdminChange {
        public AddAdmin(CliContext context) {
            super(context, "added");
        }

        @Override
        void apply(Authority ca, String dn) {
            ca.addAdmin(dn);
        }
    }

    /** {@code admins remove}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a DN from the admin list.")
    public static final class RemoveAdmin extends AdminChange {
        public RemoveAdmin(CliContext context) {
            super(context, "removed");
        }

        @Override
        void apply(Authority ca, String dn) {
            ca.removeAdmin(dn);
        }
    }
}
