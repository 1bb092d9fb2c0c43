package io.upki.cli.terminal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.upki.cli.context.CliContext;
import java.io.PrintWriter;

/**
 * Writes a command's result: a JSON document when {@code --json} was given (and nothing else on stdout,
 * so scripts can parse it), otherwise lines of text for people. Notes go to stderr in both modes.
 */
public final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final ObjectMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public Output(CliContext context, OutputOptions options) {
        this.out = context.out();
        this.err = context.err();
        this.json = options != null && options.json();
    }

    public boolean json() {
        return json;
    }

    /** A line for people; dropped in JSON mode. */
    public void line(String text) {
        if (!json) {
            out.println(text);
            out.flush();
        }
    }

    /** Formatted line for people; dropped in JSON mode. */
    public void line(String format, Object... args) {
        line(String.format(java.util.Locale.ROOT, format, args));
    }

    /** The JSON result; written only in JSON mode. */
    public void result(Object value) {
        if (json) {
            try {
                out.println(mapper.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the result as JSON", e);
            }
            out.flush();
        }
    }

    /** A note on stderr (a warning, or what was done when stdout carries data). */
    public void note(String text) {
        err.println("upki-cli: " + text);
        err.flush();
    }

    public PrintWriter err() {
        return err;
    }
}
