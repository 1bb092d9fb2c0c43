package io.upki.cli.clients;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import io.upki.cli.transport.ZmqAuthority;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.ClientKey;
import io.upki.pki.caclient.CurveKeys;
import io.upki.pki.wire.CaTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clients list|add|remove|keygen|enrol}: the CURVE client keys a CA knows, by role (docs/SECURITY.md). */
@Command(name = "clients", mixinStandardHelpOptions = true, subcommands = {
        ClientsCommand.ListClients.class, ClientsCommand.AddClient.class, ClientsCommand.RemoveClient.class,
        ClientsCommand.Keygen.class, ClientsCommand.Enrol.class},
        description = {"Manage the CURVE client keys of a CA started with --client-auth curve.",
                "list, add, remove; keygen makes a key pair file; enrol makes this operator's key the CA's first "
                        + "operator (with the seed)."})
public final class ClientsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw CliException.usage("clients needs a subcommand: list, add, remove, keygen or enrol");
    }

    /** A public key given as Z85 text or read from a key file. */
    static final class Key {
        @Option(names = "--public-key", paramLabel = "Z85", description = "the client's CURVE public key (40 Z85 characters)")
        String key;

        @Option(names = "--public-key-file", paramLabel = "FILE",
                description = "a key pair file (public-key= line) or a file holding the public key")
        String keyFile;

        String resolve(CliContext context) {
            try {
                return key != null ? CurveKeys.checkKey(key.strip(), "--public-key")
                        : CurveKeys.serverKey(context.resolve(keyFile).toString());
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
        }
    }

    private static ZmqAuthority ca(CliContext context, TransportOptions transport) {
        Authority authority = transport.open(context);
        if (authority instanceof ZmqAuthority zmq) {
            return zmq;
        }
        authority.close();
        throw CliException.usage("clients talks to the CA itself (ZeroMQ), not through --ra");
    }

    /** {@code clients list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "The keys the CA knows, with role and name.")
    public static final class ListClients implements Callable<Integer> {
        @Mixin
        TransportOptions transport;
        @Mixin
        OutputOptions output;
        private final CliContext context;

        public ListClients(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<ClientKey> clients;
            try (ZmqAuthority ca = ca(context, transport)) {
                clients = ca.call(CaTask.LIST_CLIENTS, CertificateAuthorityClient::clients);
            }
            Output printer = new Output(context, output);
            printer.result(clients);
            printer.line("%-14s %-40s %-25s %s", "ROLE", "PUBLIC KEY", "ADDED", "NAME");
            for (ClientKey c : clients) {
                printer.line("%-14s %-40s %-25s %s", text(c.role()), text(c.publicKey()), text(c.addedAt()), text(c.name()));
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code clients add}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Make a key known with a role: operator, ra, sidecar or crl-publisher.")
    public static final class AddClient implements Callable<Integer> {
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "operator, ra, sidecar or crl-publisher")
        String role;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "who holds the key, for the list")
        String name;
        @ArgGroup(multiplicity = "1")
        Key key;
        @Mixin
        TransportOptions transport;
        @Mixin
        OutputOptions output;
        private final CliContext context;

        public AddClient(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String publicKey = key.resolve(context);
            ClientKey added;
            try (ZmqAuthority ca = ca(context, transport)) {
                added = ca.call(CaTask.ADD_CLIENT, c -> c.addClient(publicKey, name, role));
            }
            Output printer = new Output(context, output);
            printer.result(added);
            printer.line("added %s as %s (%s)", publicKey, text(added.role()), text(added.name()));
            return ExitCode.OK.code();
        }
    }

    /** {@code clients remove}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Forget a key: its next request is refused, on open connections too.")
    public static final class RemoveClient implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "KEY", description = "the CURVE public key (Z85)")
        String positional;
        @Option(names = "--public-key-file", paramLabel = "FILE", description = "take the public key from this file")
        String keyFile;
        @Mixin
        TransportOptions transport;
        @Mixin
        OutputOptions output;
        private final CliContext context;

        public RemoveClient(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if ((positional == null) == (keyFile == null)) {
                throw CliException.usage("give the key to remove, or --public-key-file (one of them)");
            }
            Key key = new Key();
            key.key = positional;
            key.keyFile = keyFile;
            String publicKey = key.resolve(context);
            try (ZmqAuthority ca = ca(context, transport)) {
                ca.call(CaTask.REMOVE_CLIENT, c -> {
                    c.removeClient(publicKey);
                    return null;
                });
            }
            Output printer = new Output(context, output);
            printer.result(Map.of("removed", publicKey));
            printer.line("removed %s: the CA refuses its requests from now on", publicKey);
            return ExitCode.OK.code();
        }
    }

    /** {@code clients keygen}. */
    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Make a CURVE key pair file (0600; kept when it exists) and print its public key.")
    public static final class Keygen implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "FILE",
                description = "the key pair file (default: this operator's, see --client-key)")
        String file;
        @Mixin
        TransportOptions transport;
        @Mixin
        OutputOptions output;
        private final CliContext context;

        public Keygen(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Path target = file == null ? transport.clientKeyFile(context) : context.resolve(file);
            CurveKeys keys;
            try {
                keys = CurveKeys.loadOrCreate(target);
            } catch (IOException e) {
                throw CliException.localFile("key file " + target, e);
            }
            Output printer = new Output(context, output);
            printer.result(Map.of("public_key", keys.publicKey(), "file", target.toString()));
            printer.line("%s", keys.publicKey());
            return ExitCode.OK.code();
        }
    }

    /** {@code clients enrol}. */
    @Command(name = "enrol", mixinStandardHelpOptions = true,
            description = {"Make this operator's key (--client-key) the CA's first operator.",
                    "Needs the registration seed (UPKI_CA_SEED or --seed-file); refused once the CA has an operator."})
    public static final class Enrol implements Callable<Integer> {
        @Option(names = "--name", defaultValue = "operator", paramLabel = "NAME", description = "default ${DEFAULT-VALUE}")
        String name;
        @Mixin
        SeedFileOption seedFile;
        @Mixin
        TransportOptions transport;
        @Mixin
        OutputOptions output;
        private final CliContext context;

        public Enrol(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ClientKey enrolled = OperatorEnrolment.enrol(context, transport, seedFile.seed(context), name);
            Output printer = new Output(context, output);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("public_key", text(enrolled.publicKey()));
            result.put("role", text(enrolled.role()));
            result.put("key_file", transport.clientKeyFile(context).toString());
            printer.result(result);
            printer.line("enrolled %s as the CA's operator (key pair %s, 0600)", text(enrolled.publicKey()),
                    transport.clientKeyFile(context));
            return ExitCode.OK.code();
        }
    }

    /** A field of the CA's answer for a table: empty when the CA left it out. */
    static String text(String s) {
        return s == null ? "" : s;
    }
}
