package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line of {@code --ocsp} and {@code --crl-deltas}, and the validation of their settings. */
class PublisherMainOcspTest {
    PublisherMain parse(String... args) {
        PublisherMain main = new PublisherMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void ocspIsOffUnlessAskedFor() {
        assertThat(parse("--out", "/tmp/x").ocsp).isFalse();
        PublisherMain on = parse("--out", "/tmp/x", "--ocsp");
        assertThat(on.ocsp).isTrue();
        assertThat(on.ocspValidity).isEqualTo(Duration.ofMinutes(10));
        assertThat(on.ocspCn).isEqualTo("upki-ocsp-responder");
        assertThat(parse("--out", "/tmp/x", "--ocsp=false").ocsp).isFalse();
    }

    @Test
    void badOcspSettingsAreNamed() {
        assertThatThrownBy(() -> new PublisherConfig.Ocsp(Path.of("d"), "cn", Duration.ofSeconds(1)))
                .hasMessageStartingWith("ocsp-validity:");
        assertThatThrownBy(() -> new PublisherConfig.Ocsp(Path.of("d"), "x".repeat(65), Duration.ofMinutes(1)))
                .hasMessageStartingWith("ocsp-cn:");
        assertThatThrownBy(() -> new PublisherConfig.Ocsp(null, "cn", Duration.ofMinutes(1)))
                .hasMessageStartingWith("ocsp-dir:");
    }

    @Test
    void deltasArePushedUnlessSwitchedOff() {
        assertThat(parse("--out", "/tmp/x").pushDeltas()).isTrue();
        assertThat(parse("--out", "/tmp/x", "--crl-deltas", "off").pushDeltas()).isFalse();
        assertThat(parse("--out", "/tmp/x", "--crl-deltas", "ON").pushDeltas()).isTrue();
        assertThatThrownBy(() -> parse("--out", "/tmp/x", "--crl-deltas", "maybe").pushDeltas())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("crl-deltas: on or off, not 'maybe'");
    }
}
