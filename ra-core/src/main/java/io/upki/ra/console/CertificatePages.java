package io.upki.ra.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.CertificateId;
import io.upki.pki.caclient.RevocationRequest;
import io.upki.pki.wire.CertificatePage;
import io.upki.pki.wire.CertificateView;
import io.upki.pki.wire.NodeQuery;
import io.upki.pki.wire.NodeRecord;
import io.upki.pki.wire.SubjectAltName;
import io.upki.pki.x509.RevocationReason;
import io.upki.ra.api.ApiException;
import io.upki.ra.api.CaGateway;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Certificates: the searchable paged list, one certificate, its PEM, revocation (confirmed) and unrevocation. */
final class CertificatePages {
    static final int PAGE = 25;
    /** How far ahead an expiry is marked as soon. */
    static final Duration SOON = Duration.ofDays(30);
    private static final Html.Template ROW = Html.of("""
            <tr class="{{css}}"><td><a href="/ui/certificates/{{serial}}">{{cn}}</a></td><td>{{dn}}</td>\
            <td class="mono">{{hex}}</td><td>{{profile}}</td><td>{{state}}</td><td>{{expiry}}{{{soon}}}</td></tr>
            """);
    private static final Html.Safe SOON_MARK = new Html.Safe(" <span class=\"badge warn\">expires soon</span>");

    private final Console console;
    private final CaGateway ca;
    private final EdgeStatus edge;
    private final Revocations revocations;
    private final Clock clock;

    CertificatePages(Console console, CaGateway ca, EdgeStatus edge, Revocations revocations, Clock clock) {
        this.console = console;
        this.ca = ca;
        this.edge = edge;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** The search and filter on one page; the CA filters and pages ({@code list_nodes} with a filter). */
    record Search(String q, String state, String profile, int page) {
        NodeQuery query() {
            return new NodeQuery(q, null, profile, state, null, page * PAGE, PAGE);
        }

        String query(int toPage) {
            return "?q=" + enc(q) + "&state=" + enc(state) + "&profile=" + enc(profile) + "&page=" + toPage;
        }

        private static String enc(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    void list(Context ctx) throws ApiException {
        Search search = new Search(text(ctx.queryParam("q"), 256), oneOf(ctx.queryParam("state"), "valid", "revoked", "expired"),
                text(ctx.queryParam("profile"), 64), page(ctx.queryParam("page")));
        CertificatePage page = ca.call(c -> c.nodes(search.query()));
        Html.Parts body = new Html.Parts();
        Instant now = clock.instant();
        for (NodeRecord n : page.items()) {
            Instant notAfter = instant(n.notAfter());
            boolean soon = "valid".equals(n.state()) && notAfter != null && notAfter.isBefore(now.plus(SOON));
            body.add(ROW.render("css", soon ? "soon" : n.state(), "serial", n.serial().toString(),
                    "cn", n.cn(), "dn", n.dn(), "hex", n.serial().toString(16),
                    "profile", n.profile(), "state", n.state(),
                    "expiry", notAfter == null ? n.notAfter() : notAfter.toString(), "soon", soon ? SOON_MARK : Html.EMPTY));
        }
        Html.Parts profiles = new Html.Parts().add(option("", "any profile", search.profile()));
        for (String name : ca.call(CertificateAuthorityClient::profileNames)) {
            profiles.add(option(name, name, search.profile()));
        }
        Html.Parts states = new Html.Parts().add(option("", "any state", search.state()));
        for (String s : List.of("valid", "revoked", "expired")) {
            states.add(option(s, s, search.state()));
        }
        Html.Safe prev = search.page() == 0 ? Html.EMPTY : Html.of("<a rel=\"prev\" href=\"/ui/certificates{{href}}\">previous</a>")
                .render("href", search.query(search.page() - 1));
        Html.Safe next = !page.hasMore() ? Html.EMPTY : Html.of("<a rel=\"next\" href=\"/ui/certificates{{href}}\">next</a>")
                .render("href", search.query(search.page() + 1));
        console.page(ctx, "Certificates", "certificates", Html.resource("certificates.html").render("q", search.q(),
                "profiles", profiles.html(), "states", states.html(), "rows", body.isEmpty()
                        ? new Html.Safe("<tr><td colspan=\"6\">No certificate matches.</td></tr>") : body.html(),
                "page", search.page() + 1, "prev", prev, "next", next));
    }

    void one(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        CertificateView v = view(serial);
        Html.Parts sans = new Html.Parts();
        for (SubjectAltName san : v.sans() == null ? List.<SubjectAltName>of() : v.sans()) {
            sans.add(Html.of("<li>{{type}}: {{value}}</li>").render("type", san.type(), "value", san.value()));
        }
        List<String> usages = new ArrayList<>();
        if (v.keyUsage() != null) {
            v.keyUsage().forEach((usage, set) -> {
                if (Boolean.TRUE.equals(set)) {
                    usages.add(usage);
                }
            });
        }
        List<String> eku = v.extendedKeyUsage() == null ? List.of() : v.extendedKeyUsage();
        boolean revoked = v.isRevoked();
        boolean hold = revoked && "certificateHold".equalsIgnoreCase(v.revokeReason());
        Html.Parts reasons = new Html.Parts();
        for (String r : RevocationReason.wireNames()) {
            if (!r.equals("removeFromCRL")) {
                reasons.add(option(r, r, "unspecified"));
            }
        }
        String token = Console.token(ctx);
        Html.Safe actions = !revoked
                ? Html.resource("revoke-form.html").render("serial", serial, "reasons", reasons.html())
                : hold ? Html.of("""
                        <form method="post" action="/ui/certificates/{{serial}}/unrevoke">\
                        <input type="hidden" name="csrf" value="{{csrf}}">\
                        <button type="submit">Unrevoke (release the hold)</button></form>""")
                        .render("serial", serial, "csrf", token)
                : Html.of("<p>Revoked for {{reason}} on {{date}}: final.</p>").render("reason", text(v.revokeReason()),
                        "date", text(v.revokeDate()));
        String caPem = ca.call(CertificateAuthorityClient::caCertificate);
        String cn = v.subject() == null ? null : v.subject().get("commonName");
        console.page(ctx, cn == null ? "certificate" : cn, "certificates",
                Html.resource("certificate.html").render("dn", text(v.dn()), "subject", map(v.subject()),
                        "serial", serial, "hex", serial.toString(16), "profile", text(v.profile()),
                        "status", text(v.status()), "revoke", revoked ? v.revokeReason() + " on " + v.revokeDate() : "",
                        "not_before", text(v.notValidBefore()), "not_after", text(v.notValidAfter()),
                        "sans", sans.isEmpty() ? new Html.Safe("<li>none</li>") : sans.html(),
                        "usages", String.join(", ", usages), "eku", String.join(", ", eku),
                        "issuer", map(v.issuer()), "chain", chain(caPem),
                        "fingerprint", text(v.fingerprint()), "actions", actions));
    }

    void pem(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        CertificateView v = view(serial);
        ctx.header("Content-Disposition", "attachment; filename=\"" + serial.toString(16) + ".crt\"");
        ctx.contentType("application/x-pem-file").result(text(v.certificate()));
    }

    void confirmRevoke(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        String reason = reason(ctx.queryParam("reason"));
        CertificateView v = view(serial);
        console.page(ctx, "Revoke?", "certificates", Html.resource("revoke-confirm.html").render("serial", serial,
                "dn", text(v.dn()), "hex", serial.toString(16), "reason", reason, "csrf", Console.token(ctx)));
    }

    void revoke(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        String reason = reason(ctx.formParam("reason"));
        CertificateView v = view(serial);
        ca.run(c -> c.revoke(new RevocationRequest(CertificateId.serial(serial), reason)));
        Instant at = clock.instant();
        BigInteger crl = publishCrl();
        revocations.add(new Revocations.Revocation(serial, text(v.dn()), reason, at, crl));
        console.audit(ctx, "revoke", serial, "dn", text(v.dn()), "reason", reason,
                "crl_number", crl == null ? null : crl.toString());
        ctx.redirect("/ui/crl?revoked=" + serial, HttpStatus.SEE_OTHER);
    }

    void unrevoke(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        ca.run(c -> c.unrevoke(CertificateId.serial(serial)));
        BigInteger crl = publishCrl();
        console.audit(ctx, "unrevoke", serial, "crl_number", crl == null ? null : crl.toString());
        ctx.redirect("/ui/certificates/" + serial, HttpStatus.SEE_OTHER);
    }

    /** A new CRL now, through the publisher (which pushes it to every edge) or else the CA; its number. */
    private BigInteger publishCrl() throws ApiException {
        if (edge.configured()) {
            var number = edge.refresh();
            if (number.isPresent()) {
                return number.get();
            }
        }
        return CrlFacts.of(ca.call(CertificateAuthorityClient::generateCrl).der()).number();
    }

    private static Html.Safe chain(String caPem) {
        try {
            var cert = io.upki.pki.x509.Pem.parseCertificate(caPem);
            return Html.of("<li>{{subject}} (the CA; {{kind}})</li>").render("subject",
                    cert.getSubjectX500Principal().getName(), "kind",
                    cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) ? "root, self-signed" : "intermediate");
        } catch (IllegalArgumentException e) {
            return Html.EMPTY;
        }
    }

    private CertificateView view(BigInteger serial) throws ApiException {
        return ca.call(c -> c.view(CertificateId.serial(serial)));
    }

    private static String map(java.util.Map<String, String> attributes) {
        List<String> parts = new ArrayList<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> parts.add(k + "=" + v));
        }
        return String.join(", ", parts);
    }

    /** A field of the CA's answer as text: empty when the CA left it out. */
    private static String text(String s) {
        return s == null ? "" : s;
    }

    static Html.Safe option(String value, String label, String selected) {
        return Html.of("<option value=\"{{value}}\"{{{sel}}}>{{label}}</option>").render("value", value, "label", label,
                "sel", value.equals(selected) ? new Html.Safe(" selected") : Html.EMPTY);
    }

    static String reason(String reason) throws ApiException {
        return RevocationReason.fromWireName(reason == null ? "unspecified" : reason).map(RevocationReason::wireName)
                .orElseThrow(() -> new ApiException(400, "invalid revocation reason, use one of " + RevocationReason.wireNames()));
    }

    private static String text(String s, int max) throws ApiException {
        if (s == null) {
            return "";
        }
        if (s.length() > max) {
            throw new ApiException(400, "a search is at most " + max + " characters");
        }
        return s.strip();
    }

    private static String oneOf(String s, String... allowed) throws ApiException {
        if (s == null || s.isEmpty()) {
            return "";
        }
        if (!List.of(allowed).contains(s)) {
            throw new ApiException(400, "state must be one of " + List.of(allowed));
        }
        return s;
    }

    private static int page(String s) throws ApiException {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        if (!s.matches("[0-9]{1,6}")) {
            throw new ApiException(400, "page must be a number");
        }
        return Integer.parseInt(s);
    }

    static Instant instant(String iso) {
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
