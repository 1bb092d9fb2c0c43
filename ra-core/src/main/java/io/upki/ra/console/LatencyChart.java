package io.upki.ra.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A bar chart of recent revocation-to-edge latencies as inline SVG: one bar per revocation (the slowest
 * holder), oldest on the left. Attributes only, no style attribute and no script, so the page's
 * Content-Security-Policy needs no exception; colours come from console.css by class.
 */
final class LatencyChart {
    static final int WIDTH = 480;
    static final int HEIGHT = 160;
    private static final int BASE = HEIGHT - 20;

    private LatencyChart() {
    }

    static Html.Safe svg(List<Revocations.Revocation> newestFirst, Function<Revocations.Revocation, Optional<Duration>> slowest) {
        List<Long> values = new ArrayList<>();
        List<Revocations.Revocation> shown = new ArrayList<>(newestFirst);
        Collections.reverse(shown);
        List<Revocations.Revocation> done = new ArrayList<>();
        for (Revocations.Revocation r : shown) {
            Optional<Duration> d = slowest.apply(r);
            if (d.isPresent()) {
                values.add(d.get().toMillis());
                done.add(r);
            }
        }
        if (values.isEmpty()) {
            return new Html.Safe("<p>No revocation has reached the edge yet to chart.</p>");
        }
        long max = Math.max(1, Collections.max(values));
        int slot = WIDTH / Math.max(values.size(), 10);
        Html.Parts bars = new Html.Parts();
        for (int i = 0; i < values.size(); i++) {
            long v = values.get(i);
            int h = (int) Math.max(1, Math.round((double) v / max * (BASE - 20)));
            bars.add(Html.of("""
                    <rect class="bar" x="{{x}}" y="{{y}}" width="{{w}}" height="{{h}}"><title>{{label}}</title></rect>\
                    <text class="value" x="{{tx}}" y="{{ty}}" text-anchor="middle">{{v}}</text>
                    """).render("x", i * slot + 4, "y", BASE - h, "w", slot - 8, "h", h,
                    "label", done.get(i).subject() + ": " + v + " ms", "tx", i * slot + slot / 2, "ty", BASE - h - 4, "v", v));
        }
        return Html.of("""
                <svg class="chart" role="img" aria-label="revocation-to-edge latency, ms" width="{{w}}" height="{{h}}" \
                viewBox="0 0 {{w}} {{h}}" xmlns="http://www.w3.org/2000/svg">\
                <line class="axis" x1="0" y1="{{base}}" x2="{{w}}" y2="{{base}}"/>{{{bars}}}\
                <text class="caption" x="0" y="{{cy}}">slowest edge per revocation, ms (max {{max}})</text></svg>
                """).render("w", WIDTH, "h", HEIGHT, "base", BASE, "bars", bars.html(), "cy", HEIGHT - 4, "max", max);
    }
}
