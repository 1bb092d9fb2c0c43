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

    abstract String render(Path results) throws IOException;

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
