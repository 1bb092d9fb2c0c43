package io.upki.ra;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.pki.audit.AuditTrail;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.ra.audit.RaAudit;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin console (/ui/) of a direct-mode ra-core with a real CA and crl-publisher: who may see it,
 * the browser-security headers, every anti-CSRF refusal, and a revocation from the page timed to the
 * holders of the CRL. The browser itself is e2e-tests' ConsoleBrowserTest.
 */
class RaConsoleTest {
    private static final List<String> PAGES = List.of("/ui", "/ui/certificates", "/ui/certificates?q=client&state=valid",
            "/ui/admins", "/ui/crl", "/ui/audit", "/ui/static/console.css", "/ui/static/console.js");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @RegisterExtension
    static final RaStack stack = RaStack.forClass();
    static String base;
    static RaStack.Client admin;
    static RaStack.Client otherAdmin;
    static RaStack.Client user;
    static Path auditLog;

    @BeforeAll
    static void start() throws Exception {
        auditLog = stack.dir.resolve("audit.jsonl");
        stack.startRa(RaConfig.Mode.DIRECT, new RaAudit(AuditTrail.open(auditLog, "ra-core", Clock.systemUTC())));
        base = "https://127.0.0.1:" + stack.ra.port();
        admin = stack.issue("admin.example.internal", "admin");
        otherAdmin = stack.issue("admin-2.example.internal", "admin");
        user = stack.issue("client-1.example.internal", "user");
    }

    /** A browser-like session: one client certificate, the console cookie it was given. */
    static final class Browser {
        final HttpClient http;
        String cookie;

        Browser(RaStack.Client who) throws Exception {
            http = stack.https(who);
        }

        HttpResponse<String> get(String path) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15)).GET();
            return keep(http.send(withCookie(b).build(), HttpResponse.BodyHandlers.ofString()));
        }

        HttpResponse<String> post(String path, String... form) throws Exception {
            return postFrom(null, path, form);
        }

        HttpResponse<String> postFrom(String fetchSite, String path, String... form) throws Exception {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i + 1 < form.length; i += 2) {
                body.append(body.isEmpty() ? "" : "&").append(form[i]).append('=')
                        .append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            if (fetchSite != null) {
                b.header("Sec-Fetch-Site", fetchSite);
            }
            return keep(http.send(withCookie(b).build(), HttpResponse.BodyHandlers.ofString()));
        }

        private HttpRequest.Builder withCookie(HttpRequest.Builder b) {
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            return b;
        }

        private HttpResponse<String> keep(HttpResponse<String> r) {
            r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
            return r;
        }

        String token(String path) throws Exception {
            Matcher m = CSRF.matcher(get(path).body());
            assertThat(m.find()).as("a form with a token on " + path).isTrue();
            return m.group(1);
        }
    }

    private static String serial(RaStack.Client c) {
        return c.certificate().getSerialNumber().toString();
    }

    @Test
    void aUserProfileCertificateGets403OnEveryConsolePageAndForm() throws Exception {
        Browser laptop = new Browser(user);
        for (String page : PAGES) {
            HttpResponse<String> r = laptop.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(403);
            assertThat(r.body()).as(page).contains("not_admin").doesNotContain("<table");
        }
        assertThat(laptop.get("/ui/certificates/" + serial(admin)).statusCode()).isEqualTo(403);
        assertThat(laptop.post("/ui/certificates/" + serial(admin) + "/revoke", "reason", "keyCompromise").statusCode())
                .isEqualTo(403);
        assertThat(laptop.post("/ui/admins", "dn", "/CN=laptop").statusCode()).isEqualTo(403);
        assertThat(stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", admin.certificate().getSerialNumber()))
                .path("is_revoked").asBoolean()).isFalse();
    }

    @Test
    void withoutACertificateTheConsoleIsRefused() throws Exception {
        HttpResponse<String> r = new Browser(null).get("/ui/certificates");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("no_certificate");
    }

    @Test
    void everyPageForbidsFramingAndInlineCodeAndEscapesWhatItShows() throws Exception {
        Browser browser = new Browser(admin);
        for (String page : PAGES) {
            HttpResponse<String> r = browser.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(page.equals("/ui") ? 303 : 200);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
                    .startsWith("default-src 'self'; frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
                assertThat(r.body()).as(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)")
                        .doesNotContain(" style=").doesNotContain("<style");
            }
        }
        // The session cookie: the browser keeps it to this host, over HTTPS, out of scripts' and other sites' reach.
        HttpResponse<String> fresh = new Browser(admin).get("/ui/certificates");
        assertThat(fresh.headers().firstValue("Set-Cookie").orElse(""))
                .startsWith("__Host-upki-console=").contains("Secure", "HttpOnly", "SameSite=Strict", "Path=/");
        // A search is shown back escaped, never as markup.
        HttpResponse<String> search = browser.get("/ui/certificates?q=" + URLEncoder.encode("\"><img src=x>",
                StandardCharsets.UTF_8));
        assertThat(search.body()).contains("&quot;&gt;&lt;img src=x&gt;").doesNotContain("<img src=x>");
    }

    @Test
    void searchFindsByCnAndSerialAndFiltersByProfileAndState() throws Exception {
        Browser browser = new Browser(admin);
        assertThat(browser.get("/ui/certificates?q=client-1").body()).contains("client-1.example.internal")
                .doesNotContain(">admin.example.internal<");
        String hex = admin.certificate().getSerialNumber().toString(16);
        assertThat(browser.get("/ui/certificates?q=" + hex).body()).contains(">admin.example.internal<")
                .doesNotContain("client-1.example.internal");
        assertThat(browser.get("/ui/certificates?profile=user").body()).contains("client-1.example.internal")
                .doesNotContain(">admin.example.internal<");
        assertThat(browser.get("/ui/certificates?state=expired").body()).contains("No certificate matches.");
        assertThat(browser.get("/ui/certificates?state=bogus").statusCode()).isEqualTo(400);
        assertThat(browser.get("/ui/certificates/" + serial(user)).body()).contains("CN=client-1.example.internal",
                "clientAuth", "Download PEM");
        HttpResponse<String> pem = browser.get("/ui/certificates/" + serial(user) + "/pem");
        assertThat(pem.body()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(pem.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
    }

    @Test
    void aChangeWithoutTheSessionsTokenIsRefused() throws Exception {
        RaStack.Client target = stack.issue("target-csrf.example.internal", "user");
        String revoke = "/ui/certificates/" + serial(target) + "/revoke";
        Browser forger = new Browser(admin);
        // A forged cross-site form: the certificate goes along, the SameSite cookie and the token do not.
        HttpResponse<String> noSession = forger.post(revoke, "reason", "keyCompromise");
        assertThat(noSession.statusCode()).isEqualTo(403);
        assertThat(noSession.body()).contains("\"reason\":\"csrf\"");
        Browser browser = new Browser(admin);
        String token = browser.token("/ui/certificates/" + serial(target) + "/revoke?reason=keyCompromise");
        // One character changed (a token is base64url, so one that begins with A gets B instead).
        String wrong = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
        assertThat(browser.post(revoke, "reason", "keyCompromise", "csrf", wrong).statusCode())
                .as("wrong token").isEqualTo(403);
        assertThat(browser.post(revoke, "reason", "keyCompromise").statusCode()).as("no token").isEqualTo(403);
        HttpResponse<String> crossSite = browser.postFrom("cross-site", revoke, "reason", "keyCompromise", "csrf", token);
        assertThat(crossSite.statusCode()).as("Fetch Metadata says another site").isEqualTo(403);
        assertThat(crossSite.body()).contains("cross_site");
        // The same cookie and token under another admin's certificate: the token is bound to the certificate.
        Browser other = new Browser(otherAdmin);
        other.cookie = browser.cookie;
        assertThat(other.post(revoke, "reason", "keyCompromise", "csrf", token).statusCode()).isEqualTo(403);
        assertThat(stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", target.certificate().getSerialNumber()))
                .path("is_revoked").asBoolean()).as("nothing was revoked").isFalse();
        assertThat(browser.post(revoke, "reason", "keyCompromise", "csrf", token).statusCode()).isEqualTo(303);
    }

    @Test
    void aRevocationFromThePageReachesTheHoldersAndIsTimedAndAudited() throws Exception {
        RaStack.Client target = stack.issue("lost-laptop.example.internal", "user");
        Browser browser = new Browser(admin);
        String detail = browser.get("/ui/certificates/" + serial(target)).body();
        assertThat(detail).contains("Revoke…").contains("<option value=\"keyCompromise\"");
        String confirm = browser.get("/ui/certificates/" + serial(target) + "/revoke?reason=keyCompromise").body();
        assertThat(confirm).contains("Yes, revoke it", "CN=lost-laptop.example.internal");
        Matcher m = CSRF.matcher(confirm);
        assertThat(m.find()).isTrue();
        HttpResponse<String> done = browser.post("/ui/certificates/" + serial(target) + "/revoke",
                "reason", "keyCompromise", "csrf", m.group(1));
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).hasValue("/ui/crl?revoked=" + serial(target));
        assertThat(stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", target.certificate().getSerialNumber()))
                .path("revoke_reason").asText()).isEqualToIgnoringCase("keyCompromise");
        // ra-core itself holds the CRL (it follows the publisher's pushes): its row gets a latency.
        String crl = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            crl = browser.get("/ui/crl?revoked=" + serial(target)).body();
            if (crl.matches("(?s).*ra-core@[^<]*</td>.*<td class=\"latency\">\\d+ ms</td>.*")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(crl).matches("(?s).*ra-core@[^<]*</td>.*<td class=\"latency\">\\d+ ms</td>.*")
                .contains("CN=lost-laptop.example.internal", "<svg class=\"chart\"", "<rect class=\"bar\"");
        assertThat(browser.get("/ui/audit?q=lost-laptop").body()).contains("revoke", "via=console", "reason=keyCompromise",
                "CN=admin.example.internal");
        assertThat(Files.readString(auditLog)).contains("\"action\":\"revoke\"", "\"via\":\"console\"");
    }

    @Test
    void aHeldCertificateCanBeReleasedAndAnAdminAddedAndRemoved() throws Exception {
        RaStack.Client target = stack.issue("on-hold.example.internal", "user");
        Browser browser = new Browser(admin);
        String token = browser.token("/ui/certificates/" + serial(target) + "/revoke?reason=certificateHold");
        assertThat(browser.post("/ui/certificates/" + serial(target) + "/revoke", "reason", "certificateHold", "csrf", token)
                .statusCode()).isEqualTo(303);
        assertThat(browser.get("/ui/certificates/" + serial(target)).body()).contains("Unrevoke");
        assertThat(browser.post("/ui/certificates/" + serial(target) + "/unrevoke", "csrf", token).statusCode()).isEqualTo(303);
        assertThat(stack.ca.call(CaTask.VIEW, CaClient.params().put("serial", target.certificate().getSerialNumber()))
                .path("is_revoked").asBoolean()).isFalse();

        assertThat(browser.post("/ui/admins", "dn", "/CN=ops.example.internal", "csrf", token).statusCode()).isEqualTo(303);
        assertThat(browser.get("/ui/admins").body()).contains("ops.example.internal");
        assertThat(browser.post("/ui/admins", "dn", "not a dn", "csrf", token).statusCode()).isEqualTo(400);
        assertThat(browser.post("/ui/admins/remove", "dn", "/CN=ops.example.internal", "csrf", token).statusCode())
                .isEqualTo(303);
        assertThat(browser.get("/ui/admins").body()).doesNotContain("ops.example.internal");
    }
}
