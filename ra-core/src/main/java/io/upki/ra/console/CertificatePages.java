package io.upki.ra.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
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
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Certificates: the searchable paged list, one certificate, its PEM, revocation (confirmed) and unrevocation. */
final class CertificatePages {
    static final int PAGE = 25;
    /** How far ahead an expiry is marked as soon. */
    static final Duration SOON = Duration.ofDays(30);
    private static final int SCAN = 1000;
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

    /** The search and filter on one page; every filter is applied while the CA's pages are read in order. */
    record Search(String q, String state, String profile, int page) {
        boolean filtered() {
            return !q.isEmpty() || !state.isEmpty() || !profile.isEmpty();
        }

        boolean matches(JsonNode n) {
            if (!state.isEmpty() && !state.equals(n.path("state").asText())) {
                return false;
            }
            if (!profile.isEmpty() && !profile.equals(n.path("profile").asText())) {
                return false;
            }
            if (q.isEmpty()) {
                return true;
            }
            String needle = q.toLowerCase(Locale.ROOT);
            BigInteger serial = n.path("serial").bigIntegerValue();
            String hex = needle.startsWith("0x") ? needle.substring(2) : needle.replace(":", "");
            return n.path("cn").asText().toLowerCase(Locale.ROOT).contains(needle)
                    || n.path("dn").asText().toLowerCase(Locale.ROOT).contains(needle)
                    || serial.toString().equals(needle) || serial.toString(16).equals(hex);
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
        List<JsonNode> rows = new ArrayList<>();
        int skip = search.page() * PAGE;
        if (!search.filtered()) {
            // Unfiltered, the CA pages: one more than shown tells whether a next page exists.
            ca.call(CaTask.LIST_NODES, p().put("offset", skip).put("limit", PAGE + 1)).forEach(rows::add);
        } else {
            int matched = 0;
            for (int offset = 0; rows.size() <= PAGE; offset += SCAN) {
                JsonNode chunk = ca.call(CaTask.LIST_NODES, p().put("offset", offset).put("limit", SCAN));
                for (JsonNode n : chunk) {
                    if (search.matches(n) && matched++ >= skip && rows.size() <= PAGE) {
                        rows.add(n);
                    }
                }
                if (chunk.size() < SCAN) {
                    break;
                }
            }
        }
        boolean more = rows.size() > PAGE;
        Html.Parts body = new Html.Parts();
        Instant now = clock.instant();
        for (JsonNode n : rows.subList(0, Math.min(PAGE, rows.size()))) {
            Instant notAfter = instant(n.path("not_after").asText());
            boolean soon = "valid".equals(n.path("state").asText()) && notAfter != null
                    && notAfter.isBefore(now.plus(SOON));
            body.add(ROW.render("css", soon ? "soon" : n.path("state").asText(), "serial", n.path("serial").asText(),
                    "cn", n.path("cn").asText(), "dn", n.path("dn").asText(), "hex", n.path("serial").bigIntegerValue().toString(16),
                    "profile", n.path("profile").asText(), "state", n.path("state").asText(),
                    "expiry", notAfter == null ? n.path("not_after").asText() : notAfter.toString(), "soon", soon ? SOON_MARK : Html.EMPTY));
        }
        Html.Parts profiles = new Html.Parts().add(option("", "any profile", search.profile()));
        for (JsonNode name : ca.call(CaTask.LIST_PROFILES, p())) {
            profiles.add(option(name.asText(), name.asText(), search.profile()));
        }
        Html.Parts states = new Html.Parts().add(option("", "any state", search.state()));
        for (String s : List.of("valid", "revoked", "expired")) {
            states.add(option(s, s, search.state()));
        }
        Html.Safe prev = search.page() == 0 ? Html.EMPTY : Html.of("<a rel=\"prev\" href=\"/ui/certificates{{href}}\">previous</a>")
                .render("href", search.query(search.page() - 1));
        Html.Safe next = !more ? Html.EMPTY : Html.of("<a rel=\"next\" href=\"/ui/certificates{{href}}\">next</a>")
                .render("href", search.query(search.page() + 1));
        console.page(ctx, "Certificates", "certificates", Html.resource("certificates.html").render("q", search.q(),
                "profiles", profiles.html(), "states", states.html(), "rows", body.isEmpty()
                        ? new Html.Safe("<tr><td colspan=\"6\">No certificate matches.</td></tr>") : body.html(),
                "page", search.page() + 1, "prev", prev, "next", next));
    }

    void one(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        JsonNode v = ca.call(CaTask.VIEW, p().put("serial", serial));
        Html.Parts sans = new Html.Parts();
        for (JsonNode san : v.path("sans")) {
            sans.add(Html.of("<li>{{type}}: {{value}}</li>").render("type", san.path("type").asText(), "value", san.path("value").asText()));
        }
        List<String> usages = new ArrayList<>();
        v.path("key_usage").fields().forEachRemaining(e -> {
            if (e.getValue().asBoolean()) {
                usages.add(e.getKey());
            }
        });
        List<String> eku = new ArrayList<>();
        v.path("extended_key_usage").forEach(u -> eku.add(u.asText()));
        String status = v.path("status").asText();
        boolean revoked = v.path("is_revoked").asBoolean();
        boolean hold = revoked && "certificateHold".equalsIgnoreCase(v.path("revoke_reason").asText());
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
                : Html.of("<p>Revoked for {{reason}} on {{date}}: final.</p>").render("reason", v.path("revoke_reason").asText(),
                        "date", v.path("revoke_date").asText());
        String caSubject = ca.call(CaTask.GET_CA, p()).asText();
        console.page(ctx, v.path("subject").path("commonName").asText("certificate"), "certificates",
                Html.resource("certificate.html").render("dn", v.path("dn").asText(), "subject", map(v.path("subject")),
                        "serial", serial, "hex", serial.toString(16), "profile", v.path("profile").asText(),
                        "status", status, "revoke", revoked ? v.path("revoke_reason").asText() + " on " + v.path("revoke_date").asText() : "",
                        "not_before", v.path("not_valid_before").asText(), "not_after", v.path("not_valid_after").asText(),
                        "sans", sans.isEmpty() ? new Html.Safe("<li>none</li>") : sans.html(),
                        "usages", String.join(", ", usages), "eku", String.join(", ", eku),
                        "issuer", map(v.path("issuer")), "chain", chain(caSubject),
                        "fingerprint", v.path("fingerprint").asText(), "actions", actions));
    }

    void pem(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        JsonNode v = ca.call(CaTask.VIEW, p().put("serial", serial));
        ctx.header("Content-Disposition", "attachment; filename=\"" + serial.toString(16) + ".crt\"");
        ctx.contentType("application/x-pem-file").result(v.path("certificate").asText());
    }

    void confirmRevoke(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        String reason = reason(ctx.queryParam("reason"));
        JsonNode v = ca.call(CaTask.VIEW, p().put("serial", serial));
        console.page(ctx, "Revoke?", "certificates", Html.resource("revoke-confirm.html").render("serial", serial,
                "dn", v.path("dn").asText(), "hex", serial.toString(16), "reason", reason, "csrf", Console.token(ctx)));
    }

    void revoke(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        String reason = reason(ctx.formParam("reason"));
        JsonNode v = ca.call(CaTask.VIEW, p().put("serial", serial));
        ca.call(CaTask.REVOKE, p().put("serial", serial).put("reason", reason));
        Instant at = clock.instant();
        BigInteger crl = publishCrl();
        revocations.add(new Revocations.Revocation(serial, v.path("dn").asText(), reason, at, crl));
        console.audit(ctx, "revoke", serial, "dn", v.path("dn").asText(), "reason", reason,
                "crl_number", crl == null ? null : crl.toString());
        ctx.redirect("/ui/crl?revoked=" + serial, HttpStatus.SEE_OTHER);
    }

    void unrevoke(Context ctx) throws ApiException {
        BigInteger serial = Console.serial(ctx);
        ca.call(CaTask.UNREVOKE, p().put("serial", serial));
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
        return CrlFacts.of(Base64.getDecoder().decode(ca.call(CaTask.GENERATE_CRL, p()).asText())).number();
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

    private static String map(JsonNode attributes) {
        List<String> parts = new ArrayList<>();
        attributes.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(", ", parts);
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

    private static ObjectNode p() {
        return CaClient.params();
    }
}
