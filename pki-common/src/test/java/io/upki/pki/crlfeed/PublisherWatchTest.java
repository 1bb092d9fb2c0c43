package io.upki.pki.crlfeed;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.testkit.clock.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which publishers answer: an open channel heard lately does; a lost or silent one does not. */
class PublisherWatchTest {
    private static final URI A = URI.create("http://a:8081/events");
    private static final URI B = URI.create("http://b:8081/events");

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-07T00:00:00Z"));
    private final PublisherWatch watch = new PublisherWatch(clock, List.of(A, B));

    @Test
    void beforeAnyPublisherAnswersSilenceCountsFromTheStart() {
        clock.advance(Duration.ofSeconds(2));
        assertThat(watch.answering()).isEmpty();
        assertThat(watch.silentFor()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aLostChannelStopsAnsweringAtOnceAndSilenceCountsFromTheLoss() {
        watch.heard(A);
        watch.heard(B);
        assertThat(watch.answering()).containsExactly(A, B);
        clock.advance(Duration.ofMillis(500));
        watch.lost(A);
        assertThat(watch.answering()).containsExactly(B);
        assertThat(watch.silentFor()).isZero();
        watch.lost(B);
        clock.advance(Duration.ofMillis(1500));
        assertThat(watch.answering()).isEmpty();
        assertThat(watch.silentFor()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void anOpenButSilentChannelStopsAnsweringAfterThreeMissedPings() {
        watch.heard(A);
        clock.advance(PublisherWatch.SILENCE.minusMillis(1));
        assertThat(watch.answering()).containsExactly(A);
        clock.advance(Duration.ofMillis(1));
        assertThat(watch.answering()).isEmpty();
        watch.heard(A);
        assertThat(watch.answering()).containsExactly(A);
    }

    @Test
    void aChannelListIsParsedAndABadOneNamed() {
        assertThat(io.upki.pki.relying.TrustConfig.CrlFeed.events(" http://a:8081/events, http://b:8081/events "))
                .containsExactly(A, B);
        assertThat(io.upki.pki.relying.TrustConfig.CrlFeed.events(null)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.upki.pki.relying.TrustConfig.CrlFeed.events("tcp://a:5002"))
                .hasMessageContaining("crl-events").hasMessageContaining("tcp://a:5002");
    }
}
