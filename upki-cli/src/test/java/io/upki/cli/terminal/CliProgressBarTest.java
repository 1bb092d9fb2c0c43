package io.upki.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The progress bar: drawn in place on a terminal, throttled, silent otherwise. */
class CliProgressBarTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void drawsInPlaceAtMostTenTimesASecondAndAlwaysTheLastStep() {
        StringWriter err = new StringWriter();
        ManualClock clock = new ManualClock();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(err), clock, true, "revoke", 4)) {
            clock.now = clock.now.plus(Duration.ofMillis(500));
            bar.step(true);            // drawn
            bar.step(false);           // same instant: throttled
            clock.now = clock.now.plus(Duration.ofMillis(500));
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
