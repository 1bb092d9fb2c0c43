package io.upki.ra.console;

import io.javalin.http.Context;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.ra.api.ApiException;
import io.upki.ra.api.CaGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The CRL and the edge: the CA's current CRL, the CRL each holder (sidecars, ra-core) took from the
 * publisher and when, and for the latest console revocations how long each took to reach every holder,
 * from the CA's answer to the holder's fetch of the first CRL listing it (both clocks: same host, or NTP).
 */
final class EdgePage {
    private static final Html.Template HOLDER = Html.of("""
            <tr><td>{{name}}</td><td class="mono">{{address}}</td><td>{{subscribed}}</td><td>{{number}}</td>\
            <td class="mono">{{taken}}</td><td class="{{latency_css}}">{{latency}}</td></tr>
            """);
    private static final Html.Template REVOCATION = Html.of("""
            <tr><td><a href="/ui/crl?revoked={{serial}}">{{subject}}</a></td><td>{{reason}}</td><td class="mono">{{at}}</td>\
            <td>{{crl}}</td><td>{{slowest}}</td></tr>
            """);

    private final Console console;
    private final CaGateway ca;
    private final EdgeStatus edge;
    private final Revocations revocations;
    private final Clock clock;

    EdgePage(Console console, CaGateway ca, EdgeStatus edge, Revocations revocations, Clock clock) {
        this.console = console;
        this.ca = ca;
        this.edge = edge;
        this.revocations = revocations;
        this.clock = clock;
    }

    void show(Context ctx) throws ApiException {
        CrlFacts crl = CrlFacts.of(ca.call(CertificateAuthorityClient::currentCrl).der());
        Optional<List<EdgeStatus.Holder>> known = edge.holders();
        List<EdgeStatus.Holder> holders = known.orElse(List.of());
        List<Revocations.Revocation> recent = revocations.newestFirst();
        String wanted = ctx.queryParam("revoked");
        Revocations.Revocation selected = recent.stream().filter(r -> r.serial().toString().equals(wanted)).findFirst()
                .orElse(recent.isEmpty() ? null : recent.get(0));
        boolean pending = false;
        Html.Parts rows = new Html.Parts();
        for (EdgeStatus.Holder h : holders) {
            Optional<Duration> latency = selected == null ? Optional.empty() : latency(selected, h);
            boolean waiting = selected != null && latency.isEmpty();
            pending |= waiting && h.subscribed();
            rows.add(HOLDER.render("name", h.name(), "address", h.address(), "subscribed", h.subscribed() ? "yes" : "no",
                    "number", h.number() == null ? "none" : h.number().toString(),
                    "taken", h.takenAt() == null ? "" : h.takenAt().toString(),
                    "latency_css", waiting ? "waiting" : "latency",
                    "latency", selected == null ? "" : latency.map(EdgePage::ms).orElse("waiting")));
        }
        Html.Parts list = new Html.Parts();
        for (Revocations.Revocation r : recent) {
            list.add(REVOCATION.render("serial", r.serial(), "subject", r.subject(), "reason", r.reason(), "at", r.at().toString(),
                    "crl", r.crlNumber() == null ? "?" : r.crlNumber().toString(),
                    "slowest", slowest(r, holders).map(EdgePage::ms).orElse("waiting")));
        }
        String edgeNote = !edge.configured() ? "ra-core runs without --publisher: the edge's state is unknown here."
                : known.isEmpty() ? "The crl-publisher's holder status cannot be read (it answers loopback callers only)."
                : holders.isEmpty() ? "No holder has taken a CRL yet." : holders.size() + " holders.";
        console.page(ctx, "CRL & edge", "crl", Html.resource("crl.html").render(
                "number", crl.number() == null ? "none" : crl.number().toString(), "size", crl.size(),
                "entries", crl.entries(), "this_update", crl.thisUpdate().toString(),
                "next_update", crl.nextUpdate() == null ? "none" : crl.nextUpdate().toString(),
                "age", ms(Duration.between(crl.thisUpdate(), clock.instant())),
                "edge_note", edgeNote, "pending", pending ? "true" : "false",
                "selected", selected == null ? "no revocation from this console yet"
                        : selected.subject() + " (serial " + selected.serial().toString(16) + ", CRL " + selected.crlNumber() + ")",
                "holders", rows.html(), "revocations", list.isEmpty()
                        ? new Html.Safe("<tr><td colspan=\"5\">None since ra-core started.</td></tr>") : list.html(),
                "chart", LatencyChart.svg(recent, r -> slowest(r, holders))));
    }

    /** From the revocation to the holder's first fetch of a CRL that lists it. */
    static Optional<Duration> latency(Revocations.Revocation r, EdgeStatus.Holder h) {
        if (r.crlNumber() == null) {
            return Optional.empty();
        }
        return h.firstAtLeast(r.crlNumber()).map(at -> at.isBefore(r.at()) ? Duration.ZERO : Duration.between(r.at(), at));
    }

    /** The slowest of the holders subscribed to pushes, once every one of them has it. */
    static Optional<Duration> slowest(Revocations.Revocation r, List<EdgeStatus.Holder> holders) {
        Duration worst = null;
        for (EdgeStatus.Holder h : holders) {
            Optional<Duration> d = latency(r, h);
            if (d.isEmpty()) {
                if (h.subscribed()) {
                    return Optional.empty();
                }
                continue;
            }
            worst = worst == null || d.get().compareTo(worst) > 0 ? d.get() : worst;
        }
        return Optional.ofNullable(worst);
    }

    static String ms(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : (ms / 1000) + " s";
    }
}
