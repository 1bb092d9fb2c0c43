package io.upki.pki.options;

import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults taken from environment variables named in one table per command, so that a shared
 * mixin (whose variable is named after the process: {@code UPKI_SIDECAR_OPS_LISTEN},
 * {@code UPKI_RA_OPS_LISTEN}) spells no variable itself. A table entry is {@code VARIABLE} or
 * {@code VARIABLE:-default}; an option not in the table keeps its annotated default.
 */
public class EnvDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> table;
    private final Function<String, String> env;

    /**
     * Defaults a process reads from its own environment, exactly as an annotated
     * {@code ${env:VARIABLE:-default}} would (picocli resolves the returned template).
     *
     * @param table option name ({@code --ops-listen}) to {@code VARIABLE} or {@code VARIABLE:-default}
     */
    public EnvDefaults(Map<String, String> table) {
        this(table, null);
    }

    /**
     * Defaults read from {@code env} instead (so tests can give one): a variable that is unset or blank
     * leaves the option's own default; a value is used without surrounding whitespace.
     */
    public EnvDefaults(Map<String, String> table, Function<String, String> env) {
        this.table = Map.copyOf(table);
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String entry = table.get(option.longestName());
        if (entry == null) {
            return null;
        }
        if (env == null) {
            return "${env:" + entry + "}";
        }
        int split = entry.indexOf(":-");
        String value = env.apply(split < 0 ? entry : entry.substring(0, split));
        if (value != null && !value.isBlank()) {
            return value.strip();
        }
        return split < 0 ? null : entry.substring(split + 2);
    }

    /**
     * The default of {@code option} as its command's table writes it, {@code ${env:VARIABLE:-default}},
     * or null when the option is not in such a table (its annotation then says): for the configuration
     * reference.
     */
    public static String template(OptionSpec option) {
        CommandLine.IDefaultValueProvider provider = option.command() == null ? null
                : option.command().defaultValueProvider();
        if (provider instanceof EnvDefaults defaults && defaults.table.containsKey(option.longestName())) {
            return "${env:" + defaults.table.get(option.longestName()) + "}";
        }
        return null;
    }
}
