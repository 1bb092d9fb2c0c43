package io.upki.cli.inventory;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.ExitCode;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.wire.ProfileDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code profiles}: the CA's certificate profiles, which decide key type, validity and usages. */
@Command(name = "profiles", mixinStandardHelpOptions = true,
        description = "List the CA's profiles with key type, validity and usages, or show the named ones.")
public final class ProfilesCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "only these profiles")
    List<String> names;

    @Mixin
    TransportOptions transport;

    @Mixin
    OutputOptions output;

    private final CliContext context;

    public ProfilesCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Map<String, ProfileDocument> profiles = new LinkedHashMap<>();
        try (Authority ca = transport.open(context)) {
            for (String name : names == null || names.isEmpty() ? ca.profileNames() : names) {
                profiles.put(name, ca.profile(name));
            }
        }
        Output printer = new Output(context, output);
        printer.result(profiles);
        if (!printer.json()) {
            printer.line("%-10s %-9s %-6s %-40s %s", "PROFILE", "KEY", "DAYS", "SUBJECT", "USAGES");
            profiles.forEach((name, p) -> printer.line("%-10s %-9s %-6d %-40s %s", name, p.keyType() + "-" + p.keyLen(),
                    p.duration(), subject(p.subject()), String.join(",", p.extendedKeyUsage() == null || p.extendedKeyUsage().isEmpty()
                            ? p.keyUsage() : p.extendedKeyUsage())));
        }
        return ExitCode.OK.code();
    }

    private static String subject(Map<String, String> subject) {
        StringBuilder sb = new StringBuilder();
        if (subject != null) {
            subject.forEach((k, v) -> {
                if (v != null && !v.isEmpty()) {
                    sb.append('/').append(k).append('=').append(v);
                }
            });
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }
}
