package io.upki.cli.revoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks each crl-publisher ({@code GET /ready}, whose {@code crl_number} is the CRL it serves) until it
 * serves a CRL at least as new as the one just signed, or {@code wait} has passed: the operator learns
 * whether the sidecars following those publishers have the new CRL to take, instead of assuming it.
 */
final class PublisherCheck {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Clock clock;

    PublisherCheck(Clock clock) {
        this.clock = clock;
    }

    /**
     * One publisher's answer.
     *
     * @param serving the CRL number it serves at the last look, or null when it did not answer
     * @param error why it did not answer, or null
     */
    record Result(String url, BigInteger serving, boolean took, String error) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", url);
            m.put("took", took);
            m.put("crl_number", serving == null ? null : serving.toString());
            if (error != null) {
                m.put("error", error);
            }
            return m;
        }
    }

    /** Polls every publisher every 100 ms until each serves {@code number} or newer, at most {@code wait}. */
    List<Result> await(List<String> publishers, BigInteger number, Duration wait) {
        Instant deadline = clock.instant().plus(wait);
        List<Result> results = new ArrayList<>();
        for (String p : publishers) {
            results.add(new Result(base(p), null, false, "not asked yet"));
        }
        while (true) {
            for (int i = 0; i < results.size(); i++) {
                if (!results.get(i).took()) {
                    results.set(i, ask(results.get(i).url(), number));
                }
            }
            if (results.stream().allMatch(Result::took) || !clock.instant().isBefore(deadline)) {
                return results;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return results;
            }
        }
    }

    private Result ask(String url, BigInteger number) {
        try {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url + "/ready"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = mapper.readTree(resp.body());
            String served = body.path("crl_number").asText("");
            if (served.isEmpty()) {
                return new Result(url, null, false, "serves no CRL (HTTP " + resp.statusCode() + ")");
            }
            BigInteger serving = new BigInteger(served);
            return new Result(url, serving, serving.compareTo(number) >= 0, null);
        } catch (IOException | RuntimeException e) {
            return new Result(url, null, false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(url, null, false, "interrupted");
        }
    }

    private static String base(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
