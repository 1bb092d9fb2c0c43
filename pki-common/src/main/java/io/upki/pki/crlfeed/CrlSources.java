package io.upki.pki.crlfeed;

import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.process.DaemonThreads;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link CrlState} from its configured locations: files are re-read when their modification time
 * or size changes (checked every second, a stat call); URLs are polled with conditional GET
 * ({@code If-None-Match}, {@code If-Modified-Since}), all at once so that a publisher that is down
 * delays no other, and can be fetched at once with {@link #refreshNow()} or {@link #refreshFrom(URI)}.
 * Whichever source delivers a CRL first has it accepted; {@link CrlState} refuses the same or an older
 * number from the others.
 */
public final class CrlSources implements AutoCloseable {
    /**
     * Names this process on each CRL fetch and push subscription, so that the crl-publisher can tell an
     * operator which CRL each edge holds and when it took it (ra-core's console). Informational only: the
     * publisher grants nothing on its strength.
     */
    public static final String HOLDER_HEADER = "X-Upki-Crl-Holder";
    private static final Logger LOG = LoggerFactory.getLogger(CrlSources.class);

    private final CrlState state;
    private final List<String> locations;
    private final Duration urlInterval;
    private final String holder;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("crl-sources"));
    /** One thread per URL fetched at the same time (a handful of publishers). */
    private final ExecutorService fetchers = Executors.newCachedThreadPool(DaemonThreads.named("crl-fetch"));
    private final Map<String, String[]> validators = new ConcurrentHashMap<>();
    private final Map<String, Object> fileStamps = new ConcurrentHashMap<>();

    public CrlSources(CrlState state, List<String> locations, Duration urlInterval) {
        this(state, locations, urlInterval, holderName("upki"));
    }

    /** @param holder how this process names itself to the publisher ({@link #holderName}) */
    public CrlSources(CrlState state, List<String> locations, Duration urlInterval, String holder) {
        this.state = state;
        this.locations = List.copyOf(locations);
        this.urlInterval = urlInterval;
        this.holder = holder;
    }

    /** {@code process@host pid N}: which instance of a process holds a CRL, stable until it restarts. */
    public static String holderName(String process) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return process + "@" + host + " pid " + ProcessHandle.current().pid();
    }

    /** The name sent in {@link #HOLDER_HEADER}. */
    public String holder() {
        return holder;
    }

    /** Loads every location once, then keeps watching. */
    public void start() {
        refreshNow();
        scheduler.scheduleWithFixedDelay(this::checkFiles, 1, 1, TimeUnit.SECONDS);
        if (locations.stream().anyMatch(CrlSources::isUrl)) {
            scheduler.scheduleWithFixedDelay(this::pollUrls, urlInterval.toMillis(), urlInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Reads every file and fetches every URL now (a push from the crl-publisher lands here). */
    public void refreshNow() {
        checkFiles();
        pollUrls();
    }

    /**
     * Reads every file and fetches every URL now, unconditionally: after the trusted CAs changed, a CRL
     * refused before (unknown issuer) must be offered again although the publisher's answer is unchanged.
     */
    public void refetchAll() {
        validators.clear();
        fileStamps.clear();
        refreshNow();
    }

    private static boolean isUrl(String location) {
        return location.startsWith("http://") || location.startsWith("https://");
    }

    private void checkFiles() {
        for (String location : locations) {
            if (isUrl(location)) {
                continue;
            }
            Path file = Path.of(location);
            try {
                FileTime mtime = Files.getLastModifiedTime(file);
                List<Object> stamp = List.of(mtime, Files.size(file));
                if (!stamp.equals(fileStamps.get(location))) {
                    state.offer(Files.readAllBytes(file), location);
                    fileStamps.put(location, stamp);
                }
            } catch (IOException e) {
                LOG.warn("cannot read CRL file {}: {}", location, e.getMessage());
            }
        }
    }

    /**
     * Fetches the URLs served by the same origin (scheme, host, port) as {@code channel}, the publisher
     * that just announced a new CRL; every URL when none is.
     */
    public void refreshFrom(URI channel) {
        List<String> same = locations.stream().filter(CrlSources::isUrl)
                .filter(l -> sameOrigin(URI.create(l), channel)).toList();
        fetchAll(same.isEmpty() ? locations.stream().filter(CrlSources::isUrl).toList() : same);
    }

    /**
     * A publisher announced complete CRL {@code number}: fetched from it unless that CRL is already in
     * force (a delta of the same number was applied first, which is the point of pushing deltas: a
     * revocation then costs every edge a few hundred bytes, not the whole CRL). The announcement carries
     * no authority: a forged number can at most cause a fetch, or skip one that polling makes up for.
     * The announcement also names every CA generation's CRL ({@code generations}, after a key rollover;
     * empty before one): fetched unless each of them is in force too, since a revocation of an earlier
     * generation's certificate changes only that generation's CRL.
     */
    public void announced(BigInteger number, List<BigInteger> generations, URI channel) {
        boolean held = number != null && state.holds(number)
                && generations.stream().allMatch(n -> n != null && state.holds(n));
        if (held) {
            LOG.debug("CRL {} announced by {} is already in force", number, channel);
            return;
        }
        refreshFrom(channel);
    }

    /**
     * A publisher pushed a delta CRL (DER); applied when its base is held, and then acknowledged to that
     * publisher ({@code POST /status/took}, in the background) so its holder list shows the CRL this
     * process holds, as a fetch would have.
     */
    public void offerDelta(byte[] der, URI channel) {
        CrlSnapshot applied = state.offerDelta(der, channel.toString());
        if (applied != null) {
            try {
                http.sendAsync(HttpRequest.newBuilder(channel.resolve("/status/took?crl=" + applied.number()))
                        .timeout(Duration.ofSeconds(5)).header(HOLDER_HEADER, holder)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            } catch (RuntimeException e) {
                LOG.debug("cannot acknowledge delta CRL {} to {}: {}", applied.number(), channel, e.toString());
            }
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private void pollUrls() {
        fetchAll(locations.stream().filter(CrlSources::isUrl).toList());
    }

    /** Every URL concurrently; returns once each has answered or failed. */
    private void fetchAll(List<String> urls) {
        if (urls.size() == 1) {
            fetch(urls.get(0));
            return;
        }
        try {
            CompletableFuture.allOf(urls.stream()
                    .map(u -> CompletableFuture.runAsync(() -> fetch(u), fetchers))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (RejectedExecutionException e) {
            LOG.debug("closing: CRL fetch skipped");
        }
    }

    private void fetch(String url) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET()
                .header(HOLDER_HEADER, holder);
        String[] seen = validators.get(url);
        if (seen != null) {
            if (seen[0] != null) {
                req.header("If-None-Match", seen[0]);
            }
            if (seen[1] != null) {
                req.header("If-Modified-Since", seen[1]);
            }
        }
        try {
            HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() == 304) {
                return;
            }
            if (resp.statusCode() != 200) {
                LOG.warn("CRL URL {} answered {}", url, resp.statusCode());
                return;
            }
            state.offer(resp.body(), url);
            validators.put(url, new String[] {resp.headers().firstValue("ETag").orElse(null),
                    resp.headers().firstValue("Last-Modified").orElse(null)});
        } catch (IOException e) {
            LOG.warn("cannot fetch CRL {}: {}", url, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        fetchers.shutdownNow();
    }
}
