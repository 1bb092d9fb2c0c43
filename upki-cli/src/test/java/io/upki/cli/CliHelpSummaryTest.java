package io.upki.cli;

import io.upki.cli.context.CliContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command lists of {@code upki-cli --help} (and of every command with subcommands) show each command's
 * summary as a whole sentence: picocli prints only the first element of a command's description there, so
 * a sentence split over two elements used to be cut off mid-way ("and write NAME.key (0600),").
 */
class CliHelpSummaryTest {
    private static final Pattern ENTRY = Pattern.compile("^  (\\S+)\\s{2,}(\\S.*)$");
    private static final Pattern CONTINUATION = Pattern.compile("^\\s{3,}(\\S.*)$");

    @TempDir
    Path work;

    @Test
    void everyCommandListShowsWholeSentences() {
        CommandLine root = UpkiCli.commandLine(new CliContext(work, Map.of(), new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()), Clock.systemUTC(), false));
        List<CommandLine> parents = new ArrayList<>();
        collectParents(root, parents);
        assertThat(parents).extracting(cl -> cl.getCommandSpec().qualifiedName())
                .contains("upki-cli", "upki-cli admins", "upki-cli admin");
        int summaries = 0;
        for (CommandLine parent : parents) {
            List<String> path = new ArrayList<>(List.of(parent.getCommandSpec().qualifiedName().split(" ")));
            path.remove(0);
            path.add("--help");
            CliRun.Result help = CliRun.run(work, Map.of(), path.toArray(String[]::new));
            String what = parent.getCommandSpec().qualifiedName() + " --help";
            assertThat(help.code()).as(what).isZero();

            Map<String, String> listed = commandList(help.out());
            assertThat(listed.keySet()).as(what).containsExactlyInAnyOrderElementsOf(parent.getSubcommands().keySet());
            for (Map.Entry<String, String> e : listed.entrySet()) {
                String summary = e.getValue();
                String first = normalise(parent.getSubcommands().get(e.getKey()).getCommandSpec().usageMessage()
                        .description()[0]);
                assertThat(summary).as(what + ": summary of " + e.getKey())
                        .matches("[A-Z'].*[^.,:;]\\.")
                        .isEqualTo(first);
                summaries++;
            }
        }
        assertThat(summaries).isGreaterThanOrEqualTo(15);
    }

    /** Every command that has subcommands, the root first. */
    private static void collectParents(CommandLine cl, List<CommandLine> out) {
        if (!cl.getSubcommands().isEmpty()) {
            out.add(cl);
        }
        cl.getSubcommands().values().forEach(sub -> collectParents(sub, out));
    }

    /** The "Commands:" section of a usage message: name to summary, wrapped lines joined. */
    private static Map<String, String> commandList(String usage) {
        Map<String, String> commands = new LinkedHashMap<>();
        String[] lines = usage.split("\\R");
        int i = 0;
        while (i < lines.length && !lines[i].equals("Commands:")) {
            i++;
        }
        assertThat(i).as("a Commands: section in\n" + usage).isLessThan(lines.length);
        String current = null;
        for (i++; i < lines.length; i++) {
            Matcher entry = ENTRY.matcher(lines[i]);
            Matcher more = CONTINUATION.matcher(lines[i]);
            if (entry.matches()) {
                current = entry.group(1);
                commands.put(current, entry.group(2).strip());
            } else if (more.matches() && current != null) {
                commands.merge(current, more.group(1).strip(), (a, b) -> a + " " + b);
            } else {
                break;
            }
        }
        return commands;
    }

    private static String normalise(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
