package io.upki.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.upki.testkit.clock.MutableClock;
import org.junit.jupiter.api.Test;

/** The progress bar: drawn in place on a terminal, throttled, silent otherwise. */
class CliProgressBarTest {
    @Test
    void drawsInPlaceAtMostTenTimesASecondAndAlwaysTheLastStep() {
        StringWriter err = new StringWriter();
        MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        try (ProgressBar bar = new ProgressBar(new PrintWriter(err), clock, true, "revoke", 4)) {
            clock.advance(Duration.ofMillis(500));
            bar.step(true);            // drawn
            bar.step(false);           // same instant: throttled
            clock.advance(Duration.ofMillis(500));
            bar.step(true);            // drawn
            bar.step(true);            // last: always drawn
        }
        String text = err.toString();
        assertThat(text.split("\r", -1)).hasSize(4);
        assertThat(text).contains("revoke [#######.......................] 1/4  25% 2.0/s")
                .contains("4/4 100% 4.0/s (1 failed)").endsWith("\n");
    }

    @Test
    void silentWhenStderrIsNotATerminal() {
        StringWriter err = new StringWriter();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(err), Clock.systemUTC(), false, "generate", 2)) {
            bar.step(true);
            bar.step(true);
        }
        assertThat(err.toString()).isEmpty();
    }
}
