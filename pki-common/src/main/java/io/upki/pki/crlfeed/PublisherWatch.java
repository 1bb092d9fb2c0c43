package io.upki.pki.crlfeed;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which crl-publishers answer, judged by their push channels: a publisher answers while its channel is
 * open and has sent a line (an event or the once-a-second ping) within {@link #SILENCE}. A killed
 * publisher's connection closes at once; a host that vanished is caught by the silence.
 */
public final class PublisherWatch {
    /** How long an open channel may stay silent before its publisher counts as gone (three missed pings). */
    public static final Duration SILENCE = Duration.ofSeconds(3);

    private final Clock clock;
    private final List<URI> channels;
    /** The last line heard per channel, absent while it is disconnected. */
    private final Map<URI, Instant> heard = new ConcurrentHashMap<>();
    /** The last moment a publisher was seen answering (the start, before any). */
    private volatile Instant lastAnswering;

    public PublisherWatch(Clock clock, List<URI> channels) {
        this.clock = clock;
        this.channels = List.copyOf(channels);
        this.lastAnswering = clock.instant();
    }

    /** The channels watched, as configured. */
    public List<URI> channels() {
        return channels;
    }

    /** A line (event, comment or the subscription's answer) arrived on {@code channel}. */
    public void heard(URI channel) {
        Instant now = clock.instant();
        heard.put(channel, now);
        lastAnswering = now;
    }

    /** The channel closed or could not be opened. */
    public void lost(URI channel) {
        Instant last = heard.remove(channel);
        Instant now = clock.instant();
        if (last != null && Duration.between(last, now).compareTo(SILENCE) < 0) {
            lastAnswering = now; // it answered until this moment
        }
    }

    /** The channels whose publisher answers now. */
    public List<URI> answering() {
        Instant now = clock.instant();
        List<URI> up = channels.stream().filter(c -> {
            Instant last = heard.get(c);
            return last != null && Duration.between(last, now).compareTo(SILENCE) < 0;
        }).toList();
        if (!up.isEmpty()) {
            lastAnswering = now;
        }
        return up;
    }

    /** How long no publisher has answered (zero while one does; counted from the start before the first). */
    public Duration silentFor() {
        if (!answering().isEmpty()) {
            return Duration.ZERO;
        }
        return Duration.between(lastAnswering, clock.instant());
    }
}
