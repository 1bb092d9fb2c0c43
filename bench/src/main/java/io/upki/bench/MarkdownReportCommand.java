package io.upki.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** A report step of any bench driver: Markdown rendered from the JSON lines of one run, to stdout and {@code --out}. */
abstract class MarkdownReportCommand implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "JSON lines written by the run.")
    Path results;

    @Option(names = "--out", description = "Also write the report to this file.")
    Path out;

    /** Renders one run's JSON lines. */
    interface Renderer {
        String render(Path results) throws IOException;
    }

    private final Renderer renderer;

    /** A report that needs nothing but the run's lines. */
    MarkdownReportCommand(Renderer renderer) {
        this.renderer = renderer;
    }

    /** A report with options of its own: the subclass overrides {@link #render(Path)}. */
    MarkdownReportCommand() {
        this(results -> {
            throw new IllegalStateException("render(Path) not overridden");
        });
    }

    String render(Path results) throws IOException {
        return renderer.render(results);
    }

    @Override
    public Integer call() throws IOException {
        String markdown = render(results);
        System.out.print(markdown);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, markdown);
        }
        return 0;
    }
}
