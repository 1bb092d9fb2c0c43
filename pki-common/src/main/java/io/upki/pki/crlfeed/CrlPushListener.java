package io.upki.pki.crlfeed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a server-sent events connection to one crl-publisher's {@code /events} and, on every {@code crl}
 * event, fetches the CRL from that publisher's own URLs. The event carries no authority: the CRL is
 * fetched and verified as always. The publisher announces its current CRL to every new connection, so a
 * sidecar that was disconnected catches up as soon as it reconnects (with backoff up to 2 s); polling
 * keeps running besides. Every line heard and every loss is reported to the {@link PublisherWatch}.
 */
public final class CrlPushListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CrlPushListener.class);

    private final URI events;
    private final CrlSources sources;
    private final PublisherWatch watch;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private volatile boolean running = true;
    private volatile InputStream stream;
    private Thread thread;

    public CrlPushListener(URI events, CrlSources sources, PublisherWatch watch) {
        this.events = events;
        this.sources = sources;
        this.watch = watch;
    }

    public void start() {
        thread = new Thread(this::run, "crl-push " + events.getAuthority());
        thread.setDaemon(true);
        thread.start();
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

    /** Reads events until the stream ends; an {@code event: crl} record triggers a refresh. */
    private void read(BufferedReader reader) throws IOException {
        String line;
        String event = null;
        while (running && (line = reader.readLine()) != null) {
            watch.heard(events);
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.isEmpty()) {
                if ("crl".equals(event)) {
                    sources.refreshFrom(events);
                }
                event = null;
            }
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

    @Override
    public void close() {
        running = false;
        InputStream s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing on shutdown
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
