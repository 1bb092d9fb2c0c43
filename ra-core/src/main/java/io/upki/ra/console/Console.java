package io.upki.ra.console;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.upki.pki.caclient.CaClient;
import io.upki.ra.api.ApiAudit;
import io.upki.ra.api.ApiException;
import io.upki.ra.api.CaGateway;
import io.upki.ra.audit.RaAudit;
import io.upki.ra.auth.AuthenticationException;
import io.upki.ra.auth.Authenticator;
import io.upki.ra.auth.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Map;

/**
 * The admin console at {@code /ui/}: server-rendered pages behind the same authentication as
 * {@code /api/v1} (the administrator's client certificate, directly or through the edge's assertion),
 * administrators only, every form guarded against cross-site requests ({@link BrowserGuard}). Errors
 * go through the API's one mapping ({@link ApiException}).
 */
public final class Console {
    static final String PREFIX = "/ui";
    private static final String CALLER = "upki.console.caller";
    private static final String TOKEN = "upki.console.csrf";
    private static final Map<String, String> STATIC = Map.of("console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    private final Authenticator authenticator;
    private final BrowserGuard guard = new BrowserGuard();
    private final ApiAudit trail;
    private final CertificatePages certificates;
    private final AdminPages admins;
    private final EdgePage edge;
    private final AuditPage auditPage;

    private Console(CaGateway ca, Authenticator authenticator, String publisher, RaAudit audit, Clock clock) {
        this.authenticator = authenticator;
        this.trail = new ApiAudit(audit);
        Revocations revocations = new Revocations(20);
        EdgeStatus edgeStatus = new EdgeStatus(publisher);
        this.certificates = new CertificatePages(this, ca, edgeStatus, revocations, clock);
        this.admins = new AdminPages(this, ca);
        this.edge = new EdgePage(this, ca, edgeStatus, revocations, clock);
        this.auditPage = new AuditPage(this, audit.path());
    }

    /** Adds the console's routes to ra-core's server (one line in its composition root). */
    public static void mount(JavalinConfig config, CaClient ca, Authenticator authenticator, String publisher,
                             RaAudit audit, Clock clock) {
        new Console(new CaGateway(ca), authenticator, publisher, audit, clock).register(config);
    }

    private void register(JavalinConfig config) {
        var r = config.routes;
        r.before(this::guard);
        r.get(PREFIX, ctx -> ctx.redirect(PREFIX + "/certificates", io.javalin.http.HttpStatus.SEE_OTHER));
        r.get(PREFIX + "/static/{file}", this::staticFile);
        r.get(PREFIX + "/certificates", certificates::list);
        r.get(PREFIX + "/certificates/{serial}", certificates::one);
        r.get(PREFIX + "/certificates/{serial}/pem", certificates::pem);
        r.get(PREFIX + "/certificates/{serial}/revoke", certificates::confirmRevoke);
        r.post(PREFIX + "/certificates/{serial}/revoke", certificates::revoke);
        r.post(PREFIX + "/certificates/{serial}/unrevoke", certificates::unrevoke);
        r.get(PREFIX + "/admins", admins::list);
        r.post(PREFIX + "/admins", admins::add);
        r.post(PREFIX + "/admins/remove", admins::remove);
        r.get(PREFIX + "/crl", edge::show);
        r.get(PREFIX + "/audit", auditPage::show);
    }

    /** Authentication, the admin role and, for a change, the anti-CSRF checks: before any console handler. */
    private void guard(Context ctx) throws ApiException {
        String path = ctx.path();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return;
        }
        BrowserGuard.headers(ctx);
        Caller caller;
        try {
            caller = authenticator.authenticate(ctx);
        } catch (AuthenticationException e) {
            throw ApiException.refused(e);
        }
        if (!caller.admin()) {
            throw new ApiException(403, "not_admin", "administrators only");
        }
        ctx.attribute(CALLER, caller);
        String session = guard.session(ctx);
        ctx.attribute(TOKEN, guard.token(session, caller));
        String method = ctx.method().name();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            guard.checkForm(ctx, caller);
        }
    }

    private void staticFile(Context ctx) throws IOException, ApiException {
        String file = ctx.pathParam("file");
        String type = STATIC.get(file);
        if (type == null) {
            throw new ApiException(404, "no such file");
        }
        try (InputStream in = Console.class.getResourceAsStream("/console/static/" + file)) {
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    /** The anti-CSRF token every form of this page carries. */
    static String token(Context ctx) {
        return ctx.attribute(TOKEN);
    }

    /** Renders {@code body} in the console's layout. */
    void page(Context ctx, String title, String section, Html.Safe body) {
        Caller caller = caller(ctx);
        Html.Parts nav = new Html.Parts();
        for (String[] item : new String[][] {{"certificates", "Certificates"}, {"admins", "Admins"},
                {"crl", "CRL & edge"}, {"audit", "Audit trail"}}) {
            nav.add(Html.of("<a href=\"/ui/{{href}}\"{{{current}}}>{{label}}</a>").render("href", item[0],
                    "label", item[1], "current", item[0].equals(section) ? new Html.Safe(" aria-current=\"page\"")
                            : Html.EMPTY));
        }
        ctx.html(Html.resource("layout.html").render("title", title, "nav", nav.html(), "subject", caller.subject(),
                "body", body).html());
    }

    /** A console change in the audit trail, named as the API names its own. */
    void audit(Context ctx, String action, BigInteger serial, Object... fields) {
        Object[] all = new Object[fields.length + 2];
        all[0] = "via";
        all[1] = "console";
        System.arraycopy(fields, 0, all, 2, fields.length);
        trail.record(caller(ctx), action, serial, "ok", all);
    }

    /** A serial from a path: decimal digits only, as the console's links write it. */
    static BigInteger serial(Context ctx) throws ApiException {
        String s = ctx.pathParam("serial");
        if (!s.matches("[0-9]{1,60}")) {
            throw new ApiException(400, "a certificate serial is a decimal number");
        }
        return new BigInteger(s);
    }
}
