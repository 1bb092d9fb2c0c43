package io.upki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.pki.x509.Pem;
import io.upki.ra.CliRaStack;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * upki-cli with a real CA, crl-publisher and ra-core (direct mTLS): the user guide end to end with curl,
 * {@code admin bootstrap} accepted by the RA, and the HTTPS transport for list, view, revoke and more.
 */
class CliRaTransportTest {
    @TempDir
    static Path dir;
    static CliRaStack stack;
    static Path work;
    static Map<String, String> env;
    static String[] ra;

    @BeforeAll
    static void start() throws Exception {
        stack = new CliRaStack(dir.resolve("stack"));
        work = Files.createDirectories(dir.resolve("operator"));
        env = Map.of("UPKI_CA_PORT", Integer.toString(stack.caPort()));
        CliRun.Result r = CliRun.run(work, env, CliGuideTest.GUIDE);
        assertThat(r.code()).as(r.toString()).isZero();
        ra = new String[] {"--ra", stack.raUrl(), "--cert", "admin.crt", "--key", "admin.key", "--cacert", "ca.crt"};
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static String[] viaRa(String... args) {
        String[] all = new String[args.length + ra.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(ra, 0, all, args.length, ra.length);
        return all;
    }

    static CliRun.Result ok(String... args) {
        CliRun.Result r = CliRun.run(work, env, args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    /** The guide's step 2 and 3 with curl, from the folder the guide's step 1 wrote into; returns the HTTP status. */
    static int curlHealth(Path folder, String cert, String key) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cert", cert, "--key", key,
                "--cacert", "ca.crt", stack.raUrl() + "/api/v1/health").directory(folder.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
    }

    @Test
    void theGuidesAdminCertificateIsAcceptedByTheRaWithCurl() throws Exception {
        assertThat(curlHealth(work, "admin.crt", "admin.key")).isEqualTo(200);
    }

    @Test
    void adminBootstrapIsAcceptedByTheRaOnHealth() throws Exception {
        Path boot = Files.createDirectories(dir.resolve("bootstrap"));
        CliRun.Result r = CliRun.run(boot, env, "admin", "bootstrap", "--cn", "first-admin.example.internal", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        String dn = r.json().path("issued").path("dn").asText();
        assertThat(dn).isEqualTo("/C=FR/O=Company/OU=Admins/CN=first-admin.example.internal");
        assertThat(stack.ca().client().listAdmins()).contains(dn);
        assertThat(curlHealth(boot, "admin.crt", "admin.key")).isEqualTo(200);
        // And through the CLI's own HTTPS transport.
        CliRun.Result list = CliRun.run(boot, env, "admins", "list", "--json", "--ra", stack.raUrl(), "--cert", "admin.crt",
                "--key", "admin.key");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.json().toString()).contains(dn);
    }

    @Test
    void listViewRevokeAndCrlThroughTheRa() throws Exception {
        CliRun.Result issued = ok(viaRa("generate", "--cn", "laptop-7.example.internal", "--profile", "user", "--name", "laptop",
                "--json"));
        BigInteger serial = issued.json().path("serial").bigIntegerValue();

        JsonNode list = ok(viaRa("list", "--cn", "laptop-7.example.internal", "--json")).json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("serial").bigIntegerValue()).isEqualTo(serial);
        assertThat(ok(viaRa("list", "--limit", "1", "--json")).json()).hasSize(1);

        for (String[] by : List.of(new String[] {"--serial", "0x" + serial.toString(16)}, new String[] {"--cn", "laptop-7.example.internal"},
                new String[] {"--dn", "/C=FR/O=Company/OU=Users/CN=laptop-7.example.internal"})) {
            JsonNode view = ok(viaRa("view", by[0], by[1], "--json")).json();
            assertThat(view.path("serial_number").bigIntegerValue()).as(String.join(" ", by)).isEqualTo(serial);
        }

        ok(viaRa("revoke", "--serial", serial.toString(), "--reason", "superseded"));
        assertThat(ok(viaRa("view", "--serial", serial.toString(), "--json")).json().path("is_revoked").asBoolean()).isTrue();
        JsonNode crlNow = ok(viaRa("generate-crl", "--json")).json();
        assertThat(crlNow.path("number").bigIntegerValue().signum()).isPositive();
        JsonNode crl = ok(viaRa("crl", "--json")).json();
        boolean listed = false;
        for (JsonNode e : crl.path("entries")) {
            listed |= e.path("serial").bigIntegerValue().equals(serial) && e.path("reason").asText().equals("superseded");
        }
        assertThat(listed).as("revoked serial in the RA's CRL with its reason").isTrue();

        JsonNode renewed = ok(viaRa("renew", "--cn", "admin.example.internal", "--json")).json();
        assertThat(renewed.path("serial").bigIntegerValue()).isNotNull();
        assertThat(ok(viaRa("profiles", "--json")).json().has("admin")).isTrue();
        assertThat(ok(viaRa("status", "--json")).json().path("endpoint").asText()).isEqualTo(stack.raUrl());
    }

    @Test
    void theRaRefusesANonAdminAndAnUnknownCertificate() throws Exception {
        Path user = Files.createDirectories(dir.resolve("user"));
        Files.copy(work.resolve("ca.crt"), user.resolve("ca.crt"));
        CliRun.Result issued = CliRun.run(user, env, "generate", "--cn", "someone.example.internal", "--profile", "user");
        assertThat(issued.code()).as(issued.toString()).isZero();
        CliRun.Result refused = CliRun.run(user, env, "list", "--ra", stack.raUrl(), "--cert", "user.crt", "--key", "user.key");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("upki-cli: RA refused GET /api/v1/certificates (HTTP 403): administrators only");

        CliRun.Result unknown = CliRun.run(work, env, viaRa("view", "--cn", "nobody.example.internal"));
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("HTTP 404").contains("Certificate not found");
        // A ca.crt of another CA: the RA's certificate is not trusted, and nothing is sent.
        io.upki.ca.testing.TestCa.initialize(dir.resolve("other-ca"), "ec");
        CliRun.Result foreign = CliRun.run(work, env, "list", "--ra", stack.raUrl(), "--cert", "admin.crt", "--key", "admin.key",
                "--cacert", dir.resolve("other-ca/ca.crt").toString());
        assertThat(foreign.code()).as(foreign.toString()).isEqualTo(3);
        assertThat(foreign.err()).contains("TLS with the RA at");
        assertThat(Pem.parseCertificate(Files.readString(work.resolve("ca.crt")))).isNotNull();
    }
}
