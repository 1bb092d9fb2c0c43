package io.upki.ra.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.ra.api.ApiException;
import io.upki.ra.api.CaGateway;
import io.upki.ra.api.Requests;

/** The CA's admin list: shown, added to and removed from (each change a CSRF-guarded form). */
final class AdminPages {
    private static final Html.Template ROW = Html.of("""
            <tr><td>{{dn}}</td><td><form method="post" action="/ui/admins/remove">\
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="dn" value="{{dn}}">\
            <button type="submit" class="danger" data-confirm="Remove {{dn}} from the admins?">Remove</button></form></td></tr>
            """);

    private final Console console;
    private final CaGateway ca;

    AdminPages(Console console, CaGateway ca) {
        this.console = console;
        this.ca = ca;
    }

    void list(Context ctx) throws ApiException {
        String csrf = Console.token(ctx);
        Html.Parts rows = new Html.Parts();
        for (String admin : ca.call(CertificateAuthorityClient::admins)) {
            rows.add(ROW.render("dn", admin, "csrf", csrf));
        }
        console.page(ctx, "Admins", "admins", Html.resource("admins.html").render("rows",
                rows.isEmpty() ? new Html.Safe("<tr><td colspan=\"2\">No DN in the CA's admin list.</td></tr>") : rows.html(),
                "csrf", csrf));
    }

    void add(Context ctx) throws ApiException {
        String dn = dn(ctx.formParam("dn"));
        ca.run(c -> c.addAdmin(dn));
        console.audit(ctx, "add_admin", null, "dn", dn);
        ctx.redirect("/ui/admins", HttpStatus.SEE_OTHER);
    }

    void remove(Context ctx) throws ApiException {
        String dn = dn(ctx.formParam("dn"));
        ca.run(c -> c.removeAdmin(dn));
        console.audit(ctx, "remove_admin", null, "dn", dn);
        ctx.redirect("/ui/admins", HttpStatus.SEE_OTHER);
    }

    private static String dn(String dn) throws ApiException {
        if (dn == null || dn.isBlank() || dn.length() > 1024) {
            throw new ApiException(400, "a DN is required (at most 1024 characters)");
        }
        return Requests.parsedDn(dn);
    }
}
