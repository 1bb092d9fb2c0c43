package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.CaServerMain;
import io.upki.publisher.PublisherMain;
import io.upki.ra.RaMain;
import io.upki.sidecar.SidecarMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code docs/CONFIGURATION.md} is the reference of every flag and variable of the four processes, with
 * its default, generated from the commands themselves so it cannot drift. When an option changes, run
 * {@code mvn -pl e2e-tests test -Dtest=ConfigurationReferenceTest -Dupki.writeDocs=true} and commit it.
 */
class ConfigurationReferenceTest {
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)(?::-(.*))?}");

    @Test
    void theReferenceListsEveryOptionWithItsDefault() throws IOException {
        String expected = render();
        Path doc = LocalStack.repositoryRoot().resolve("docs/CONFIGURATION.md");
        if (Boolean.getBoolean("upki.writeDocs")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        Files.writeString(Files.createDirectories(Path.of("target")).resolve("CONFIGURATION.md"), expected);
        assertThat(Files.readString(doc, StandardCharsets.UTF_8))
                .as("docs/CONFIGURATION.md is out of date; the current text is in e2e-tests/target/CONFIGURATION.md "
                        + "(or rerun with -Dupki.writeDocs=true)")
                .isEqualTo(expected);
    }

    @Test
    void thePageIsMarkdownWithTablesNotOneCodeBlock() {
        // A line indented by four spaces or more turns the page into a code block (CommonMark 4.4): the
        // text block above once carried an unindented line, which left every other line 16 spaces deep.
        List<String> lines = render().lines().toList();
        assertThat(lines).as("lines of docs/CONFIGURATION.md that start with whitespace")
                .noneMatch(line -> !line.isEmpty() && Character.isWhitespace(line.charAt(0)));
        assertThat(lines.get(0)).isEqualTo("# Configuration reference");
        assertThat(lines).filteredOn(line -> line.equals("| option | environment | default | meaning |")).hasSize(6);
        assertThat(String.join("\n", lines)).doesNotContain(System.getProperty("user.home") + "/");
    }

    static String render() {
        StringBuilder md = new StringBuilder();
        md.append("""
                # Configuration reference

                Every option of the four processes, with its environment variable and default. Generated from
                the commands themselves by `e2e-tests`' `ConfigurationReferenceTest`, which fails when this file
                falls behind. An option's environment variable is read when the option is not given; a command
                line value wins. A default of `—` means the option has no value unless given (its text says what
                happens then, e.g. a default computed at start). Durations are ISO-8601 (`PT5S`, `PT1M`, `P7D`).
                `bin/upki up` starts each process with the options in `bin/stack.sh`; `upki-cli` has its own
                reference in `docs/CLI.md`.

                """);
        CommandLine ca = new CommandLine(new CaServerMain());
        section(md, "ca-server init", ca.getSubcommands().get("init").getCommandSpec());
        section(md, "ca-server start", ca.getSubcommands().get("start").getCommandSpec());
        section(md, "ca-server rollover", ca.getSubcommands().get("rollover").getCommandSpec());
        section(md, "crl-publisher", new CommandLine(new PublisherMain()).getCommandSpec());
        section(md, "auth-sidecar", new CommandLine(new SidecarMain()).getCommandSpec());
        section(md, "ra-core start", new CommandLine(new RaMain()).getSubcommands().get("start").getCommandSpec());
        md.append("""
                ## bin/upki up, down, status

                | variable | default | meaning |
                | --- | --- | --- |
                | `UPKI_HOME` | `./data` | where the CA, the processes' state, `logs/` and `run/` live (`--home`) |
                | `UPKI_CA_PORT` | `5000` | ca-server operations port; registration is +1, events +2 |
                | `UPKI_PUBLISHER_PORT` | `8081` | crl-publisher |
                | `UPKI_SIDECAR_PORT` | `8080` | auth-sidecar |
                | `UPKI_RA_PORT` | `8000` | the RA's address: the nginx edge, or ra-core itself without one |
                | `UPKI_RA_EDGE_PORT` | `8001` | ra-core behind the edge (plain HTTP on loopback) |
                | `UPKI_NGINX` | `nginx` on the PATH | the nginx binary (`--edge none` runs without one) |
                | `UPKI_NO_BUILD` | unset | `1`: use the jars as they are, never run Maven |
                | `JAVA_OPTS` | unset | extra JVM options for every process; they come after the one `bin/upki` gives ca-server and ra-core (the Dockerfile gives it to every image), `-XX:CompileThresholdScaling=0.1` (a server that answers a few requests a second would otherwise run its request paths in profiled C1 code for thousands of requests; ACME issuance p50 12.9 ms instead of 23.7 ms in `bench/results/acme-2026-11-28-jit-*.md`), so `-XX:CompileThresholdScaling=1` restores the JVM's own |
                | `UPKI_NATIVE_CRYPTO` | on | `off`: the JDK's own crypto providers instead of the native one (ACCP) |
                | `UPKI_AUDIT_LOG` | `$UPKI_HOME/logs/audit.jsonl` | the audit file ca-server and ra-core both append to (their `--audit-log`) |

                ## Logging (every process)

                | variable | default | meaning |
                | --- | --- | --- |
                | `UPKI_LOG_FORMAT` | `text` | `json`: one JSON object per log line (on stderr), for a log shipper; anything else is refused at start |
                | `UPKI_LOG_LEVEL` | `info` | `trace`, `debug`, `info`, `warn`, `error` or `off` |
                """);
        return md.toString();
    }

    /**
     * The default as written, before picocli resolves its variables: the command's table for a shared
     * option whose variable is named after the process (pki-common's EnvDefaults), else the annotation.
     */
    private static String annotatedDefault(OptionSpec o) {
        String fromTable = io.upki.pki.options.EnvDefaults.template(o);
        if (fromTable != null) {
            return fromTable;
        }
        Object member = o.userObject();
        if (member instanceof java.lang.reflect.AccessibleObject element) {
            CommandLine.Option option = element.getAnnotation(CommandLine.Option.class);
            if (option != null && !CommandLine.Option.NULL_VALUE.equals(option.defaultValue())
                    && !"__no_default_value__".equals(option.defaultValue())) {
                return option.defaultValue();
            }
            return null;
        }
        throw new IllegalStateException("option " + o.longestName() + " is not an annotated member: " + member);
    }

    /**
     * picocli resolves {@code ${DEFAULT-VALUE}} in descriptions with this JVM's home directory; the page
     * shows {@code ~} instead, as in the default column, so it is the same on every machine.
     */
    private static String machineFree(String text) {
        String home = System.getProperty("user.home");
        return home == null || home.isEmpty() ? text : text.replace(home + "/", "~/");
    }

    private static void section(StringBuilder md, String title, CommandSpec spec) {
        md.append("## ").append(title).append("\n\n");
        md.append(machineFree(String.join(" ", spec.usageMessage().description()))).append("\n\n");
        md.append("| option | environment | default | meaning |\n| --- | --- | --- | --- |\n");
        List<OptionSpec> options = spec.options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .sorted((a, b) -> a.longestName().compareTo(b.longestName()))
                .toList();
        for (OptionSpec o : options) {
            String raw = annotatedDefault(o);
            String env = "";
            String def = raw == null ? "" : raw;
            Matcher m = raw == null ? null : ENV.matcher(raw);
            if (m != null && m.matches()) {
                env = "`" + m.group(1) + "`";
                def = m.group(2) == null ? "" : m.group(2);
            }
            def = def.replace("${sys:user.home}", "~");
            if (def.isEmpty() && o.required()) {
                def = "required";
            } else if (def.isEmpty() && !o.typeInfo().isBoolean()) {
                def = "—";
            } else if (def.isEmpty()) {
                def = "false";
            }
            String description = machineFree(String.join(" ", o.description())).replace("|", "\\|");
            md.append("| `").append(o.longestName()).append("` | ").append(env).append(" | `").append(def)
                    .append("` | ").append(description).append(" |\n");
        }
        md.append('\n');
    }
}
