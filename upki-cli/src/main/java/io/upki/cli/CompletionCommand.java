package io.upki.cli;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.ExitCode;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code completion}: a bash (and zsh) completion script generated from the command tree itself. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash completion script for upki-cli.", "Install it with:",
                "  source <(upki-cli completion)        # this shell",
                "  upki-cli completion > /etc/bash_completion.d/upki-cli"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CliContext context;

    CompletionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        context.out().print(AutoComplete.bash(root.getCommandName(), root));
        context.out().flush();
        return ExitCode.OK.code();
    }
}
