package io.upki.publisher.http;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which CRL each named holder (a sidecar or ra-core, by its {@code X-Upki-Crl-Holder} header) took from
 * this publisher and when, and whether it is subscribed to pushes: what ra-core's console shows as the
 * edge's state and uses to time a revocation's way to each edge. Informational: a name grants nothing,
 * so a false one can only mislabel a row; names are bounded in length and alphabet, holders in number.
 */
public final class CrlHolders {
    static final int MAX_HOLDERS = 256;
    static final int MAX_TAKEN = 64;
    private static final int MAX_NAME = 120;

    private final Clock clock;
    private final Map<String, Holder> holders = new ConcurrentHashMap<>();

    public CrlHolders(Clock clock) {
        this.clock = clock;
    }

    /** The holder's name as sent, or null when absent or not a plain short name. */
    static String name(String header) {
        if (header == null || header.isBlank() || header.length() > MAX_NAME
                || !header.matches("[A-Za-z0-9 ._:@()/#-]+")) {
            return null;
        }
        return header.strip();
    }

    /** {@code holder} at {@code address} took (or, with a 304, confirmed it holds) CRL {@code number}. */
    public void took(String holder, String address, BigInteger number) {
        if (holder == null || number == null) {
            return;
        }
        holder(holder).took(address, number, clock.instant());
    }

    /** A push subscription opened ({@code open}) or closed. */
    public void subscribed(String holder, String address, boolean open) {
        if (holder == null) {
            return;
        }
        holder(holder).subscribed(address, open, clock.instant());
    }

    private Holder holder(String name) {
        if (!holders.containsKey(name) && holders.size() >= MAX_HOLDERS) {
            // The one seen longest ago makes room: a restarted process comes back under a new pid.
            holders.values().stream().min(Comparator.comparing(Holder::lastSeen))
                    .ifPresent(oldest -> holders.remove(oldest.name));
        }
        return holders.computeIfAbsent(name, Holder::new);
    }

    /** Every holder as JSON-ready maps, by name: number held, when taken, and the first time each number was taken. */
    public List<Map<String, Object>> snapshot() {
        List<Map<String, Object>> out = new ArrayList<>();
        holders.values().stream().sorted(Comparator.comparing(h -> h.name)).forEach(h -> out.add(h.view()));
        return out;
    }

    private static final class Holder {
        final String name;
        private String address;
        private boolean subscribed;
        private Instant lastSeen = Instant.EPOCH;
        private BigInteger number;
        private Instant takenAt;
        /** CRL number to the first time this holder took it, oldest dropped first. */
        private final LinkedHashMap<BigInteger, Instant> firstTaken = new LinkedHashMap<>();

        Holder(String name) {
            this.name = name;
        }

        synchronized void took(String from, BigInteger crl, Instant at) {
            address = from;
            lastSeen = at;
            if (number == null || crl.compareTo(number) > 0) {
                number = crl;
                takenAt = at;
            }
            if (!firstTaken.containsKey(crl)) {
                firstTaken.put(crl, at);
                if (firstTaken.size() > MAX_TAKEN) {
                    firstTaken.remove(firstTaken.keySet().iterator().next());
                }
            }
        }

        synchronized void subscribed(String from, boolean open, Instant at) {
            address = from;
            subscribed = open;
            lastSeen = at;
        }

        synchronized Instant lastSeen() {
            return lastSeen;
        }

        synchronized Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("holder", name);
            m.put("address", address);
            m.put("subscribed", subscribed);
            m.put("crl_number", number == null ? null : number.toString());
            m.put("taken_at", takenAt == null ? null : takenAt.toString());
            List<Map<String, String>> taken = new ArrayList<>();
            firstTaken.forEach((n, t) -> taken.add(Map.of("crl_number", n.toString(), "taken_at", t.toString())));
            m.put("taken", taken);
            return m;
        }
    }
}
