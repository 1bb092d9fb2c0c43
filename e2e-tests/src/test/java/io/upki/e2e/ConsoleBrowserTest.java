package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console in a real browser: Debian's headless Chromium presents the admin's client certificate
 * (from an NSS database, chosen by the AutoSelectCertificateForUrls policy) to nginx in front of the stack
 * {@code bin/upki up} starts; the admin finds another admin's certificate, revokes it from the page, sees
 * the edge refuse it and how long that took; a forged cross-site form is refused.
 * With {@code -Dupki.writeDocs=true} it also writes a screenshot of each page to {@code docs/console/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Chromium reads managed policies only from here on Linux: no per-profile place exists for them. */
    private static final Path POLICIES = Path.of("/etc/chromium/policies/managed");

    @TempDir
    static Path tmp;
    static Path policy;
    @RegisterExtension
    static final LocalStack stack = LocalStack.forClass().before(ConsoleBrowserTest::browserPossible);
    @TempDir
    static Path operator;
    static WebDriver browser;
    static String base;

    /** Skips (before the stack starts) where no browser can run, else makes the policy file the test writes. */
    private static Map<String, String> browserPossible() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        Assumptions.assumeTrue(onPath("certutil") && onPath("pk12util"), "needs certutil and pk12util (libnss3-tools)");
        try {
            Files.createDirectories(POLICIES);
            policy = Files.createTempFile(POLICIES, "upki-console-test-", ".json");
        } catch (IOException e) {
            Assumptions.abort("the client certificate is chosen by a Chromium managed policy in " + POLICIES
                    + ", which this user cannot write (" + e.getMessage() + "); run as root, as CI does");
        }
        return Map.of();
    }

    @BeforeAll
    static void up() throws Exception {
        base = "https://upki-ra:" + stack.raPort;
        cli("generate", "--host", "127.0.0.1", "--cn", "console-admin.example.internal", "--profile", "admin",
                "--name", "console-admin");
        cli("generate", "--host", "127.0.0.1", "--cn", "doomed-admin.example.internal", "--profile", "admin",
                "--name", "doomed-admin");
        cli("generate", "--host", "127.0.0.1", "--cn", "laptop-9.example.internal", "--profile", "user", "--name", "laptop");
        browser = chromium(nssHome());
    }

    @AfterAll
    static void down() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (policy != null) {
            Files.deleteIfExists(policy);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static void cli(String... args) throws IOException {
        String[] argv = new String[args.length + 1];
        argv[0] = stack.root.resolve("bin/upki-cli").toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        Command c = Command.run(operator, stack.env(), Duration.ofMinutes(1), argv);
        assertThat(c.exitCode()).as(c.toString()).isZero();
    }

    private static void run(Path dir, Map<String, String> env, String... argv) throws IOException {
        Command c = Command.run(dir, env, Duration.ofSeconds(60), argv);
        assertThat(c.exitCode()).as(String.join(" ", argv) + "\n" + c).isZero();
    }

    /** A HOME whose NSS database holds the console admin's key and certificate and trusts upki's CA. */
    private static Path nssHome() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("browser-home"));
        Path db = Files.createDirectories(home.resolve(".pki/nssdb"));
        Map<String, String> env = Map.of("HOME", home.toString());
        String nss = "sql:" + db;
        run(operator, env, "certutil", "-N", "-d", nss, "--empty-password");
        run(operator, env, "openssl", "pkcs12", "-export", "-inkey", "console-admin.key", "-in", "console-admin.crt",
                "-name", "console-admin", "-out", "console-admin.p12", "-passout", "pass:");
        run(operator, env, "pk12util", "-i", "console-admin.p12", "-d", nss, "-W", "");
        run(operator, env, "certutil", "-A", "-n", "upki-ca", "-t", "C,,", "-i", "ca.crt", "-d", nss);
        String issuer = commonName(Pem.parseCertificate(Files.readString(operator.resolve("ca.crt")))
                .getSubjectX500Principal().getName());
        // The browser asks no one which certificate to send: the policy picks the admin's for this origin.
        String rule = "{\"pattern\":\"" + base + "\",\"filter\":{\"ISSUER\":{\"CN\":\"" + issuer
                + "\"},\"SUBJECT\":{\"CN\":\"console-admin.example.internal\"}}}";
        Files.writeString(policy, "{\"AutoSelectCertificateForUrls\": [" + quote(rule) + "]}\n");
        return home;
    }

    private static String commonName(String rfc2253) {
        for (String part : rfc2253.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        throw new IllegalStateException("no CN in " + rfc2253);
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static WebDriver chromium(Path home) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("chromium-profile"), "--window-size=1280,900",
                // upki-ra is this machine, as a hosts entry would say; the name matches the edge's certificate.
                "--host-resolver-rules=MAP upki-ra 127.0.0.1");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withEnvironment(Map.of("HOME", home.toString())).build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(String name) throws IOException {
        if (!Boolean.getBoolean("upki.writeDocs")) {
            return;
        }
        Path docs = Files.createDirectories(stack.root.resolve("docs/console"));
        Files.write(docs.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static String serialOf(String name) throws IOException {
        return Pem.parseCertificate(Files.readString(operator.resolve(name + ".crt"))).getSerialNumber().toString();
    }

    /**
     * The element once the page that a click or a submit started has loaded it: a click returns when the
     * browser has sent the form, not when the next page is there (a loaded CI machine showed the gap).
     */
    private WebElement await(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /** Waits (10 s at most) until the browser is on a page whose address contains {@code part}. */
    private void awaitUrl(String part) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains(part));
    }

    @Test
    @Order(1)
    void theAdminSeesTheCertificatesWithItsOwnCertificate() throws Exception {
        browser.get(base + "/ui/certificates");
        assertThat(browser.getTitle()).isEqualTo("Certificates · upki console");
        assertThat(browser.findElement(By.cssSelector(".who")).getText()).contains("console-admin.example.internal");
        String table = browser.findElement(By.id("certificates")).getText();
        assertThat(table).contains("console-admin.example.internal", "doomed-admin.example.internal", "laptop-9.example.internal");
        screenshot("certificates");
    }

    @Test
    @Order(2)
    void searchFindsTheOneCertificate() throws Exception {
        browser.get(base + "/ui/certificates");
        WebElement q = browser.findElement(By.name("q"));
        q.sendKeys("doomed");
        q.submit();
        awaitUrl("q=doomed");
        List<WebElement> rows = browser.findElements(By.cssSelector("#certificates tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains("doomed-admin.example.internal", "admin", "valid");
        rows.get(0).findElement(By.tagName("a")).click();
        assertThat(await(By.id("dn")).getText()).contains("doomed-admin.example.internal");
        assertThat(browser.findElement(By.id("state")).getText()).startsWith("valid");
        screenshot("certificate");
    }

    @Test
    @Order(3)
    void revokingFromThePageLocksTheAdminOutAtTheEdgeAndShowsTheLatency() throws Exception {
        MtlsClient doomed = MtlsClient.in(operator, "doomed-admin");
        String health = "https://127.0.0.1:" + stack.raPort + "/api/v1/health";
        assertThat(doomed.get(health).statusCode()).isEqualTo(200);
        browser.get(base + "/ui/certificates/" + serialOf("doomed-admin"));
        new Select(browser.findElement(By.name("reason"))).selectByValue("keyCompromise");
        browser.findElement(By.id("revoke")).click();
        assertThat(await(By.cssSelector(".warning")).getText())
                .contains("doomed-admin.example.internal", "keyCompromise");
        screenshot("revoke-confirm");
        browser.findElement(By.id("confirm")).click();
        awaitUrl("/ui/crl?revoked=");
        long clicked = System.nanoTime();
        assertThat(browser.getCurrentUrl()).contains("/ui/crl?revoked=" + serialOf("doomed-admin"));
        int status = 0;
        while (System.nanoTime() - clicked < Duration.ofSeconds(5).toNanos() && (status = doomed.get(health).statusCode()) != 403) {
            Thread.sleep(20);
        }
        assertThat(status).as("the revoked admin at the edge").isEqualTo(403);
        System.out.println("e2e console: revoked admin refused at the edge " + (System.nanoTime() - clicked) / 1_000_000
                + " ms after the confirmation returned");
        String sidecarRow = "";
        for (int i = 0; i < 50 && !sidecarRow.matches("(?s).*\\d+ ms.*"); i++) {
            browser.navigate().refresh();
            sidecarRow = browser.findElements(By.cssSelector("#holders tbody tr")).stream().map(WebElement::getText)
                    .filter(t -> t.startsWith("auth-sidecar@")).findFirst().orElse("");
            Thread.sleep(100);
        }
        assertThat(sidecarRow).as("the sidecar's row with the revocation's latency").matches("(?s).*\\d+ ms.*");
        System.out.println("e2e console: " + sidecarRow);
        assertThat(browser.findElement(By.id("revocations")).getText()).contains("doomed-admin.example.internal", "keyCompromise");
        assertThat(browser.findElements(By.cssSelector("svg.chart rect.bar"))).isNotEmpty();
        screenshot("crl");
    }

    @Test
    @Order(4)
    void theAdminsAndTheAuditTrailPages() throws Exception {
        browser.get(base + "/ui/admins");
        assertThat(browser.getTitle()).startsWith("Admins");
        screenshot("admins");
        browser.get(base + "/ui/audit?q=doomed");
        String audit = browser.findElement(By.id("audit")).getText();
        assertThat(audit).contains("revoke", "console-admin.example.internal", "via=console", "reason=keyCompromise");
        screenshot("audit");
    }

    @Test
    @Order(5)
    void aForgedCrossSiteFormIsRefused() throws Exception {
        String laptop = serialOf("laptop");
        // Another site, opened in the admin's browser, posts to the console: the certificate goes along (the
        // policy sends it to the origin whatever the page), the SameSite=Strict session cookie does not.
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = ("<!DOCTYPE html><html><body><form id=\"f\" method=\"post\" action=\"" + base + "/ui/certificates/"
                + laptop + "/revoke\"><input name=\"reason\" value=\"keyCompromise\"><input name=\"csrf\" value=\"guess\">"
                + "</form><script>document.getElementById('f').submit();</script></body></html>").getBytes(StandardCharsets.UTF_8);
        evil.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        evil.start();
        try {
            browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            for (int i = 0; i < 50 && !browser.getCurrentUrl().startsWith(base); i++) {
                Thread.sleep(100);
            }
            assertThat(browser.getCurrentUrl()).startsWith(base + "/ui/certificates/" + laptop + "/revoke");
            assertThat(browser.getPageSource()).containsAnyOf("\"reason\":\"cross_site\"", "\"reason\":\"csrf\"");
        } finally {
            evil.stop(0);
        }
        MtlsClient admin = MtlsClient.in(operator, "console-admin");
        var view = admin.get("https://127.0.0.1:" + stack.raPort + "/api/v1/certificates/" + laptop);
        assertThat(view.body()).as(view.body()).contains("\"is_revoked\":false");
    }

    @Test
    @Order(6)
    void aUserCertificateIsRefusedTheConsoleAtTheEdge() throws Exception {
        MtlsClient laptop = MtlsClient.in(operator, "laptop");
        for (String path : List.of("/ui", "/ui/certificates", "/ui/crl", "/ui/static/console.css")) {
            var r = laptop.get("https://127.0.0.1:" + stack.raPort + path);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).as(path).contains("not_admin");
        }
    }
}
