package io.upki.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The reports render committed runs' JSON lines exactly as the Markdown committed beside them, so results stay comparable. */
class ReportsTest {
    private static final Path RESULTS = Path.of("results");

    @Test
    void revocationReportOfACommittedRun() throws IOException {
        assertThat(EdgeReport.render("revocation", RESULTS.resolve("revocation-2026-11-27-rsa-big.jsonl")))
                .isEqualTo(committed("revocation-2026-11-27-rsa-big.md"));
    }

    @Test
    void caReportOfACommittedRun() throws IOException {
        assertThat(BenchReport.render(RESULTS.resolve("ca-2026-11-27.jsonl"))).isEqualTo(committed("ca-2026-11-27.md"));
    }

    @Test
    void authReportOfACommittedRun() throws IOException {
        assertThat(AuthReport.render(RESULTS.resolve("ca-auth-2026-12-07-quiet.jsonl")))
                .isEqualTo(committed("ca-auth-2026-12-07-quiet.md"));
    }

    private static String committed(String name) throws IOException {
        return Files.readString(RESULTS.resolve(name));
    }
}
