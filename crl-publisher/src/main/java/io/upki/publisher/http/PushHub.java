package io.upki.publisher.http;

import io.javalin.http.sse.SseClient;
import io.upki.publisher.publish.Publication;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecars subscribed to {@code GET /events} (server-sent events). Each new CRL is announced to all
 * of them as {@code event: crl} with its number; a subscriber is told the current number as soon as
 * it connects, so one that was away catches up on reconnect. The CRL itself is fetched and verified
 * by the sidecar from the distribution point: the push carries no authority. A revocation is first
 * pushed as {@code event: delta} with the delta CRL itself (RFC 5280 section 5.2.4; a few hundred bytes,
 * signed by the CA, verified by each sidecar), so no edge has to fetch a large CRL to refuse one
 * certificate; deltas are not repeated to new subscribers, who catch up from the complete CRL.
 */
public final class PushHub {
    private static final Logger LOG = LoggerFactory.getLogger(PushHub.class);

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    /** The number of the last delta announced (deltas are announced in order: {@code Publication.offerDelta}). */
    private volatile BigInteger lastDelta;
    /** Every live CA generation's CRL number; empty while the CA has one generation. */
    private volatile Supplier<List<BigInteger>> generationNumbers = List::of;

    /**
     * Names every live generation's CRL number in each announcement ({@code numbers}): after a key rollover
     * a revocation of an earlier generation's certificate changes that generation's CRL, while the delta
     * pushed for the current one lets a holder skip fetching; the list tells it what else to fetch.
     */
    public void followGenerations(Supplier<List<BigInteger>> numbers) {
        this.generationNumbers = numbers;
    }

    public void subscribe(SseClient client, Publication.Current current) {
        subscribe(client, current, () -> { });
    }

    /** Like the method above, running {@code onClose} too when the subscriber goes. */
    public void subscribe(SseClient client, Publication.Current current, Runnable onClose) {
        client.keepAlive();
        client.onClose(() -> {
            clients.remove(client);
            onClose.run();
        });
        clients.add(client);
        if (current != null) {
            send(client, current, crlEvent(current));
        } else {
            client.sendComment("no CRL published yet");
        }
    }

    /**
     * Announces complete CRL {@code current} to every subscriber, unless a newer delta went out already:
     * then it would only make them fetch a CRL older than the one they hold (the complete CRL of that
     * delta's number is announced in its turn).
     */
    public void announce(Publication.Current current) {
        BigInteger delta = lastDelta;
        if (delta != null && current.snapshot().number().compareTo(delta) < 0) {
            return;
        }
        Map<String, String> event = crlEvent(current);
        for (SseClient client : clients) {
            send(client, current, event);
        }
    }

    /** Pushes delta CRL {@code number} (adding to complete CRL {@code base}) to every subscriber. */
    public void announceDelta(BigInteger number, BigInteger base, byte[] der) {
        lastDelta = number;
        Map<String, String> data = Map.of("number", number.toString(), "base", base.toString(),
                "der", Base64.getEncoder().encodeToString(der));
        for (SseClient client : clients) {
            write(client, () -> client.sendEvent("delta", data, number.toString()));
        }
    }

    /** A comment line to every subscriber: keeps idle connections open through proxies, reveals dead ones. */
    public void ping() {
        for (SseClient client : clients) {
            write(client, () -> client.sendComment("ping"));
        }
    }

    public int size() {
        return clients.size();
    }

    /** The {@code crl} event's data, built once for every subscriber it goes to. */
    private Map<String, String> crlEvent(Publication.Current current) {
        TreeSet<BigInteger> numbers = new TreeSet<>(generationNumbers.get());
        numbers.add(current.snapshot().number());
        return Map.of("number", current.snapshot().number().toString(),
                "next_update", current.snapshot().nextUpdate().toString(), "etag", current.etag(),
                "numbers", numbers.stream().map(BigInteger::toString).collect(Collectors.joining(",")));
    }

    private void send(SseClient client, Publication.Current current, Map<String, String> event) {
        write(client, () -> client.sendEvent("crl", event, current.snapshot().number().toString()));
    }

    /**
     * One writer per subscriber at a time: Javalin serialises events but not comments, and a ping written
     * while an announcement is half out interleaves on the wire or fails in Jetty. A subscriber whose write
     * fails is closed, not just forgotten: a connection left open but never written to again looks alive
     * to the sidecar, which would then hear of new CRLs only from its slow poll.
     */
    private void write(SseClient client, Runnable emit) {
        try {
            synchronized (client) {
                emit.run();
            }
        } catch (RuntimeException e) {
            LOG.warn("closing a CRL push subscriber after a failed write: {}", e.toString());
            client.close();
        }
        if (client.terminated()) {
            clients.remove(client);
        }
    }
}
