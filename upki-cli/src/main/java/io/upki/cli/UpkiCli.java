package io.upki.cli;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.admin.AdminCommand;
import io.upki.cli.admin.AdminsCommand;
import io.upki.cli.crl.CrlCommand;
import io.upki.cli.inventory.ListCommand;
import io.upki.cli.inventory.ProfilesCommand;
import io.upki.cli.inventory.StatusCommand;
import io.upki.cli.inventory.ViewCommand;
import io.upki.cli.issue.GenerateCommand;
import io.upki.cli.issue.RenewCommand;
import io.upki.cli.revoke.GenerateCrlCommand;
import io.upki.cli.revoke.RevokeCommand;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command tree of upki-cli and how it runs: every command is built with the {@link CliContext},
 * every failure ends as one line on stderr and a documented {@link ExitCode}.
 */
@Command(name = "upki-cli", mixinStandardHelpOptions = true, versionProvider = io.upki.pki.options.ProcessVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"The upki operator's command line: keys made locally, certificates, revocation, CRLs and "
                + "admins, over ZeroMQ to the ca-server (--host/--port) or HTTPS to the ra-core (--ra).", ""},
        footer = {"", "Exit codes: 0 ok, 1 refused by the CA/RA, 2 usage error, 3 CA/RA unreachable, "
                + "4 local file problem, 5 verification failed, 70 internal error. See docs/CLI.md."},
        subcommands = {GenerateCommand.class, RevokeCommand.class, GenerateCrlCommand.class, CrlCommand.class,
                ListCommand.class, ViewCommand.class, RenewCommand.class, AdminsCommand.class, AdminCommand.class,
                ProfilesCommand.class, StatusCommand.class, io.upki.cli.clients.ClientsCommand.class,
                io.upki.cli.renewal.AgentCommand.class, CompletionCommand.class})
public final class UpkiCli implements Callable<Integer> {
    private final CliContext context;

    UpkiCli(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        throw CliException.usage("a command is needed: generate, revoke, generate-crl, crl, list, view, renew, "
                + "admins, admin, profiles, status, clients, agent, completion");
    }

    /** Builds the command line for {@code context}; one per run. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cl = new CommandLine(new UpkiCli(context), new ContextFactory(context));
        cl.setOut(context.out());
        cl.setErr(context.err());
        cl.setDefaultValueProvider(new EnvDefaults(context.env()));
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("upki-cli: " + oneLine(e.getMessage()) + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof CliException cli) {
                err.println("upki-cli: " + oneLine(cli.getMessage()));
                err.flush();
                return cli.exitCode().code();
            }
            err.println("upki-cli: internal error: " + e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage())));
            err.flush();
            return ExitCode.INTERNAL.code();
        });
        return cl;
    }

    /** Runs one command line and returns its exit code. */
    public static int run(CliContext context, String... args) {
        return commandLine(context).execute(args);
    }

    /** Messages end up on one stderr line, whatever the CA or an exception put in them. */
    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** Builds commands with the context when their constructor takes one, so they need no static state. */
    private static final class ContextFactory implements CommandLine.IFactory {
        private final CliContext context;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        ContextFactory(CliContext context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(CliContext.class);
                constructor.setAccessible(true);
                return constructor.newInstance(context);
            } catch (NoSuchMethodException e) {
                return fallback.create(type);
            }
        }
    }
}
