package io.upki.pki.crlfeed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.upki.pki.process.DaemonThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a server-sent events connection to one crl-publisher's {@code /events} and, on every {@code crl}
 * event, fetches the CRL from that publisher's own URLs unless that CRL is already in force; a
 * {@code delta} event carries a delta CRL (RFC 5280 section 5.2.4), applied at once when its base is
 * held. Neither event carries authority of its own: every CRL is verified against the trusted CAs.
 * The publisher announces its current CRL to every new connection, so a
 * sidecar that was disconnected catches up as soon as it reconnects (with backoff up to 2 s); polling
 * keeps running besides. Every line heard and every loss is reported to the {@link PublisherWatch}. A
 * channel that stays silent longer than {@link PublisherWatch#SILENCE} (the publisher pings every second)
 * is dropped and dialled again: an open connection that no longer carries announcements must not leave
 * this holder on its slow poll without anyone noticing.
 */
public final class CrlPushListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CrlPushListener.class);

    private final URI events;
    private final CrlSources sources;
    private final PublisherWatch watch;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private volatile boolean running = true;
    private volatile InputStream stream;
    /** When the open stream last carried a line, in {@link System#nanoTime()} (monotonic, for a deadline). */
    private volatile long lastLineNanos;
    private Thread thread;
    private ScheduledExecutorService watchdog;

    public CrlPushListener(URI events, CrlSources sources, PublisherWatch watch) {
        this.events = events;
        this.sources = sources;
        this.watch = watch;
    }

    public void start() {
        thread = DaemonThreads.start("crl-push " + events.getAuthority(), this::run);
        watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("crl-push-watchdog " + events.getAuthority()));
        long period = Math.max(100, PublisherWatch.SILENCE.toMillis() / 3);
        watchdog.scheduleWithFixedDelay(this::dropIfSilent, period, period, TimeUnit.MILLISECONDS);
    }

    /** Closes a stream silent for longer than {@link PublisherWatch#SILENCE}; the reader then reconnects. */
    private void dropIfSilent() {
        InputStream s = stream;
        long silentMs = (System.nanoTime() - lastLineNanos) / 1_000_000;
        if (s != null && silentMs > PublisherWatch.SILENCE.toMillis()) {
            LOG.warn("CRL push channel {} silent for {} ms; reconnecting", events, silentMs);
            stream = null;
            closeQuietly(s);
        }
    }

    private void run() {
        long backoffMs = 250;
        while (running) {
            try {
                HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(events)
                        .header("Accept", "text/event-stream")
                        .header(CrlSources.HOLDER_HEADER, sources.holder()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                if (resp.statusCode() != 200) {
                    resp.body().close();
                    throw new IOException("HTTP " + resp.statusCode());
                }
                lastLineNanos = System.nanoTime();
                stream = resp.body();
                watch.heard(events);
                LOG.info("subscribed to CRL pushes at {}", events);
                backoffMs = 250;
                read(new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)));
                watch.lost(events);
            } catch (IOException e) {
                watch.lost(events);
                if (running) {
                    LOG.warn("CRL push channel {} lost ({}); reconnecting in {} ms", events, e.getMessage(), backoffMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(backoffMs);
            backoffMs = Math.min(2000, backoffMs * 2);
        }
    }

    /** Reads events until the stream ends; each record is handled when its blank line arrives. */
    private void read(BufferedReader reader) throws IOException {
        String line;
        String event = null;
        StringBuilder data = new StringBuilder();
        while (running && (line = reader.readLine()) != null) {
            lastLineNanos = System.nanoTime();
            watch.heard(events);
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            } else if (line.isEmpty()) {
                handle(event, data.toString());
                event = null;
                data.setLength(0);
            }
        }
    }

    private void handle(String event, String data) {
        if (!"crl".equals(event) && !"delta".equals(event)) {
            return;
        }
        JsonNode json = parse(data);
        BigInteger number = number(json.path("number"));
        JsonNode der = json.path("der");
        if ("crl".equals(event) || !der.isTextual()) {
            // A delta without its CRL is just an announcement: fetch unless that CRL is in force, and every
            // other CA generation's CRL it names (after a key rollover) too.
            sources.announced(number, numbers(json.path("numbers")), events);
            return;
        }
        try {
            sources.offerDelta(Base64.getDecoder().decode(der.asText()), events);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring a delta event from {}: its CRL is not base64", events);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The event's JSON data; a missing node when it is not JSON (then every field reads as absent). */
    private static JsonNode parse(String data) {
        try {
            return JSON.readTree(data);
        } catch (IOException | RuntimeException e) {
            return MissingNode.getInstance();
        }
    }

    /** A comma-separated list of decimal numbers; a malformed entry is null (then: fetch). */
    private static List<BigInteger> numbers(JsonNode node) {
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 4096) {
            return List.of();
        }
        List<BigInteger> out = new ArrayList<>();
        for (String part : node.asText().split(",", -1)) {
            out.add(number(TextNode.valueOf(part.strip())));
        }
        return out;
    }

    /** A decimal number field, or null when absent or malformed (then: fetch). */
    private static BigInteger number(JsonNode node) {
        try {
            return node.isValueNode() ? new BigInteger(node.asText()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the connection is being abandoned either way
        }
    }

    @Override
    public void close() {
        running = false;
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        InputStream s = stream;
        if (s != null) {
            closeQuietly(s);
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
