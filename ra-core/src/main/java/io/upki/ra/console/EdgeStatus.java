package io.upki.ra.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The crl-publisher as the console sees it: asked to publish a new CRL now ({@code POST /refresh}) and
 * for which CRL each holder took when ({@code GET /status/holders}, served to loopback callers).
 * Bounded waits; a publisher that cannot be reached is an empty answer, never a failed page.
 */
final class EdgeStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One holder (a sidecar, ra-core) and the first time it took each CRL number. */
    record Holder(String name, String address, boolean subscribed, BigInteger number, Instant takenAt,
                  List<Taken> taken) {
        /** When this holder first took a CRL numbered {@code number} or later, if it did. */
        Optional<Instant> firstAtLeast(BigInteger number) {
            return taken.stream().filter(t -> t.number().compareTo(number) >= 0).map(Taken::at).min(Instant::compareTo);
        }
    }

    record Taken(BigInteger number, Instant at) {
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param base the publisher's base URL (ra-core's {@code --publisher}), or null */
    EdgeStatus(String base) {
        this.base = base == null || base.isBlank() ? null : base.replaceAll("/+$", "");
    }

    boolean configured() {
        return base != null;
    }

    /** Has the publisher publish a CRL now; its number, or empty when it could not. */
    Optional<BigInteger> refresh() {
        return send(HttpRequest.newBuilder(URI.create(base + "/refresh")).timeout(Duration.ofSeconds(8))
                .POST(HttpRequest.BodyPublishers.noBody()).build())
                .map(j -> j.path("number").asText()).filter(n -> n.matches("[0-9]+")).map(BigInteger::new);
    }

    /** Every holder the publisher knows; empty when it cannot be asked. */
    Optional<List<Holder>> holders() {
        return send(HttpRequest.newBuilder(URI.create(base + "/status/holders")).timeout(Duration.ofSeconds(3))
                .GET().build()).map(EdgeStatus::parse);
    }

    private Optional<JsonNode> send(HttpRequest request) {
        if (base == null) {
            return Optional.empty();
        }
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static List<Holder> parse(JsonNode body) {
        List<Holder> out = new ArrayList<>();
        for (JsonNode h : body.path("holders")) {
            List<Taken> taken = new ArrayList<>();
            for (JsonNode t : h.path("taken")) {
                taken.add(new Taken(new BigInteger(t.path("crl_number").asText()), Instant.parse(t.path("taken_at").asText())));
            }
            String number = h.path("crl_number").asText("");
            String at = h.path("taken_at").asText("");
            out.add(new Holder(h.path("holder").asText(), h.path("address").asText(""), h.path("subscribed").asBoolean(),
                    number.isEmpty() || number.equals("null") ? null : new BigInteger(number),
                    at.isEmpty() || at.equals("null") ? null : Instant.parse(at), taken));
        }
        return out;
    }
}
