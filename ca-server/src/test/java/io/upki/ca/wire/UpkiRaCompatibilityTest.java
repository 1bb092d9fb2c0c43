package io.upki.ca.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.testing.CaFixture;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.Pem;
import io.upki.pki.x509.RevocationReason;
import io.upki.testkit.clock.MutableClock;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the real upki-ra (circle-rd/upki-ra 0.1.5) sends beyond uPKI's shapes, through real ZeroMQ sockets:
 * numeric revocation reasons, {@code ocsp_check} by serial, SANs as plain strings, and the {@code serial}
 * and {@code status} its {@code /api/client/status} reads from {@code view}. Frames marked "as upki-ra
 * sends it" are byte for byte what its {@code ZMQClient._send_message} writes ({@code json.dumps}).
 */
class UpkiRaCompatibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODE_HELP = ". Reason codes (RFC 5280 section 5.3.1) are 0-6 and 8-10; names: "
            + String.join(", ", RevocationReason.wireNames());

    static final MutableClock CLOCK = new MutableClock();

    // EC keys keep CA-side key generation (generate, register) fast.
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().profile("edge", """
                keyType: ec
                keyLen: 256
                duration: 10
                subject: {C: FR, O: Company, OU: Edge}
                keyUsage: [digitalSignature]
                extendedKeyUsage: [serverAuth, clientAuth]
                certType: server
                """).clock(CLOCK);

    private static ObjectNode params() {
        return CaClient.params();
    }

    private static BigInteger signed(String cn) {
        return ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=" + cn))).get("serial").bigIntegerValue();
    }

    /** Sends one frame as text and returns the whole reply envelope. */
    private static JsonNode raw(String frame) throws Exception {
        return JSON.readTree(ca.sendRaw(frame.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode view(BigInteger serial) {
        ObjectNode p = params();
        p.put("serial", serial);
        return ca.call(CaTask.VIEW, p);
    }

    private static X509CRL crl() throws Exception {
        byte[] der = Base64.getDecoder().decode(ca.call(CaTask.GENERATE_CRL, params()).asText());
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    @Test
    void revokeTakesTheReasonCodeAsUpkiRaAcmeRevokeCertSendsIt() throws Exception {
        BigInteger serial = signed("acme-revoke.example.com");
        // upki-ra's POST /acme/revoke-cert: revoke_certificate(dn, reason=str(body.get("reason", 0))).
        JsonNode reply = raw("{\"TASK\": \"revoke\", \"params\": {\"dn\": \"/CN=acme-revoke.example.com\","
                + " \"reason\": \"1\"}}");

        assertThat(reply.toString()).isEqualTo("{\"EVENT\":\"ANSWER\",\"DATA\":true}");
        assertThat(view(serial).get("revoke_reason").asText()).isEqualTo("keyCompromise");
        assertThat(crl().getRevokedCertificate(serial).getRevocationReason())
                .isEqualTo(java.security.cert.CRLReason.KEY_COMPROMISE);
    }

    @Test
    void everyRfc5280ReasonCodeIsAcceptedAsStringOrJsonInteger() throws Exception {
        for (RevocationReason reason : RevocationReason.values()) {
            if (reason == RevocationReason.REMOVE_FROM_CRL) {
                continue; // 8: refused as a revocation whatever its spelling, below
            }
            for (boolean asInteger : List.of(false, true)) {
                String cn = "code-" + reason.code() + (asInteger ? "-int" : "-str") + ".example.com";
                BigInteger serial = signed(cn);
                ObjectNode p = params().put("dn", cn);
                if (asInteger) {
                    p.put("reason", reason.code());
                } else {
                    p.put("reason", " " + reason.code() + " ");
                }

                assertThat(ca.call(CaTask.REVOKE, p).asBoolean()).isTrue();
                JsonNode view = view(serial);
                assertThat(view.get("revoke_reason").asText()).as(cn).isEqualTo(reason.wireName());
                assertThat(view.get("status").asText()).isEqualTo("revoked");
            }
        }
        BigInteger hold = signed("code-6-crl.example.com");
        ca.call(CaTask.REVOKE, params().put("dn", "code-6-crl.example.com").put("reason", 6));
        assertThat(crl().getRevokedCertificate(hold).getRevocationReason())
                .isEqualTo(java.security.cert.CRLReason.CERTIFICATE_HOLD);
        // Names keep working, and code 0 is the same as no reason at all.
        BigInteger zero = signed("code-zero.example.com");
        ca.call(CaTask.REVOKE, params().put("dn", "code-zero.example.com").put("reason", "0"));
        assertThat(view(zero).get("revoke_reason").asText()).isEqualTo("unspecified");
    }

    @Test
    void badReasonCodesAreRefusedClearlyAndChangeNothing() {
        BigInteger serial = signed("bad-code.example.com");
        for (String code : List.of("7", "99", "11", "-1", "+7", "123456789012345678901234567890")) {
            String shown = code.length() <= 20 ? code : code.substring(0, 20) + "...";
            assertThat(ca.rejected(CaTask.REVOKE, params().put("dn", "bad-code.example.com").put("reason", code)))
                    .isEqualTo("[200] Invalid revocation reason: " + shown + CODE_HELP);
        }
        assertThat(ca.rejected(CaTask.REVOKE, params().put("dn", "bad-code.example.com").put("reason", 7)))
                .isEqualTo("[200] Invalid revocation reason: 7" + CODE_HELP);
        ObjectNode huge = params().put("dn", "bad-code.example.com");
        huge.put("reason", new BigInteger("99999999999999999999999"));
        assertThat(ca.rejected(CaTask.REVOKE, huge)).startsWith("[200] Invalid revocation reason: 99999999999999999999...");
        assertThat(ca.rejected(CaTask.REVOKE, params().put("dn", "bad-code.example.com").put("reason", 1.5)))
                .isEqualTo("[200] Parameter reason must be a reason name or an RFC 5280 reason code");
        assertThat(ca.rejected(CaTask.REVOKE, params().put("dn", "bad-code.example.com").put("reason", true)))
                .isEqualTo("[200] Parameter reason must be a reason name or an RFC 5280 reason code");
        // 8 is removeFromCRL, which only exists in delta CRLs: refused as its name is.
        assertThat(ca.rejected(CaTask.REVOKE, params().put("dn", "bad-code.example.com").put("reason", 8)))
                .startsWith("[900] removeFromCRL cannot be used to revoke");
        // A bad name still gets uPKI's exact message.
        assertThat(ca.rejected(CaTask.REVOKE, params().put("dn", "bad-code.example.com").put("reason", "bored")))
                .startsWith("[200] Invalid revocation reason: bored. Allowed values: ['unspecified', ");

        assertThat(view(serial).get("is_revoked").asBoolean()).isFalse();
        assertThat(view(serial).get("status").asText()).isEqualTo("valid");
    }

    @Test
    void ocspCheckTakesTheSerialInEveryFormUpkiRaPassesOn() throws Exception {
        JsonNode issued = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=ocsp-serial.example.com")));
        BigInteger serial = issued.get("serial").bigIntegerValue();
        String pem = issued.get("certificate").asText();
        String hex = serial.toString(16);
        StringBuilder colons = new StringBuilder();
        String even = hex.length() % 2 == 0 ? hex : "0" + hex;
        for (int i = 0; i < even.length(); i += 2) {
            colons.append(i == 0 ? "" : ":").append(even, i, i + 2);
        }
        List<String> frames = List.of(
                // client/status: the serial view returned, a JSON integer.
                "{\"TASK\": \"ocsp_check\", \"params\": {\"serial\": " + serial + "}}",
                // public POST /ocsp: the serial as the caller typed it.
                "{\"TASK\": \"ocsp_check\", \"params\": {\"serial\": \"" + serial + "\"}}",
                "{\"TASK\": \"ocsp_check\", \"params\": {\"serial\": \"0x" + hex + "\"}}",
                "{\"TASK\": \"ocsp_check\", \"params\": {\"serial\": \"0X" + hex.toUpperCase(Locale.ROOT) + "\"}}",
                "{\"TASK\": \"ocsp_check\", \"params\": {\"serial\": \"" + colons.toString().toUpperCase(Locale.ROOT)
                        + "\"}}");
        for (String frame : frames) {
            JsonNode reply = raw(frame);
            assertThat(reply.get("EVENT").asText()).as(frame).isEqualTo("ANSWER");
            assertThat(reply.get("DATA").toString()).as(frame).isEqualTo(
                    "{\"status\":\"good\",\"serial\":" + serial + ",\"cn\":\"ocsp-serial.example.com\"}");
        }

        ca.call(CaTask.REVOKE, params().put("dn", "ocsp-serial.example.com").put("reason", "superseded"));
        JsonNode revoked = raw(frames.get(2)).get("DATA");
        assertThat(revoked.get("status").asText()).isEqualTo("revoked");
        assertThat(revoked.get("revoke_reason").asText()).isEqualTo("superseded");
        assertThat(revoked.get("revoke_date").asText()).endsWith("+00:00");
        // The same answer as uPKI's form, with the certificate itself.
        assertThat(ca.call(CaTask.OCSP_CHECK, params().put("cert", pem))).isEqualTo(revoked);
    }

    @Test
    void ocspCheckOfASerialThisCaNeverIssuedIsUnknown() throws Exception {
        JsonNode reply = raw("{\"TASK\": \"ocsp_check\", \"params\": {\"serial\": \"0xdeadbeef\"}}");

        assertThat(reply.get("DATA").toString())
                .isEqualTo("{\"status\":\"unknown\",\"serial\":" + new BigInteger("deadbeef", 16) + "}");
    }

    @Test
    void unparseableSerialsAreRefusedClearly() {
        for (String bad : List.of("xyz", "0xZZ", "12.5", "", "0x", "1f:zz", "-12")) {
            assertThat(ca.rejected(CaTask.OCSP_CHECK, params().put("serial", bad))).as(bad)
                    .isEqualTo("[200] Parameter serial must be an integer, in decimal or hexadecimal"
                            + " (0x1f2e or 1F:2E), not '" + bad + "'");
        }
        assertThat(ca.rejected(CaTask.OCSP_CHECK, params().put("serial", "z".repeat(100))))
                .endsWith("not '" + "z".repeat(64) + "...'");
        assertThat(ca.rejected(CaTask.OCSP_CHECK, params().put("serial", 0))).isEqualTo("[200] serial must be a positive integer");
        assertThat(ca.rejected(CaTask.OCSP_CHECK, params().put("serial", true)))
                .isEqualTo("[200] Parameter serial must be an integer");
        // Neither form: uPKI's own message.
        assertThat(ca.rejected(CaTask.OCSP_CHECK, params())).isEqualTo("[700] Missing cert parameter");
    }

    @Test
    void generateAndRegisterTakePlainStringSansAndInferTheirType() throws Exception {
        ObjectNode generate = params().put("cn", "plain-sans.example.com").put("profile", "edge");
        generate.putArray("sans").add("www.example.com").add("10.0.0.1").add("mail@example.com").add("https://x")
                .add(params().put("type", "DNS").put("value", "object-form.example.com"));
        X509Certificate generated = Pem.parseCertificate(ca.call(CaTask.GENERATE, generate).get("certificate").asText());

        assertThat(generated.getSubjectAlternativeNames()).extracting(List::toString).containsExactly(
                "[2, www.example.com]", "[7, 10.0.0.1]", "[1, mail@example.com]", "[6, https://x]",
                "[2, object-form.example.com]");

        // upki-ra's admin POST /nodes: register_node(seed, cn, profile, sans) with sans: list[str].
        JsonNode registered = raw("{\"TASK\": \"register\", \"params\": {\"seed\": \"" + TestCa.SEED + "\","
                + " \"cn\": \"node-plain.example.com\", \"profile\": \"edge\","
                + " \"sans\": [\"node-plain.example.com\", \"192.168.1.20\"]}}");
        X509Certificate node = Pem.parseCertificate(registered.at("/DATA/certificate").asText());
        assertThat(node.getSubjectAlternativeNames()).extracting(List::toString)
                .containsExactly("[2, node-plain.example.com]", "[7, 192.168.1.20]");

        // The registration port reads the same SAN list.
        try (ZmqCaClient registration = new ZmqCaClient(ca.registrationEndpoint(), t -> Duration.ofSeconds(60), 0,
                new WireCodec())) {
            ObjectNode p = params().put("seed", TestCa.SEED).put("cn", "ra-plain.example.com").put("profile", "edge");
            p.putArray("sans").add("ra-plain.example.com");
            X509Certificate ra = Pem.parseCertificate(registration.call(CaTask.REGISTER, p).get("certificate").asText());
            assertThat(ra.getSubjectAlternativeNames()).extracting(List::toString)
                    .containsExactly("[2, ra-plain.example.com]");
        }
    }

    @Test
    void badSansAreRefusedClearly() {
        assertThat(sanRefusal(params().put("type", "X400").put("value", "c=fr")))
                .isEqualTo("[200] SAN type 'X400' is not supported. Allowed: [DNS, IP, EMAIL, URI]");
        assertThat(sanRefusal(JSON.getNodeFactory().textNode("localhost")))
                .isEqualTo("[200] Domain 'localhost' is reserved and cannot be used");
        assertThat(sanRefusal(JSON.getNodeFactory().textNode("IP:999.1.1.1")))
                .isEqualTo("[200] Invalid IP address: 999.1.1.1");
        assertThat(sanRefusal(JSON.getNodeFactory().textNode("a@b@c"))).isEqualTo("[200] Invalid email address: a@b@c");
        assertThat(sanRefusal(JSON.getNodeFactory().textNode("host.example.com:443"))).startsWith("[200] ");
        assertThat(sanRefusal(JSON.getNodeFactory().textNode("  "))).isEqualTo("[200] SAN value is required");
        assertThat(sanRefusal(JSON.getNodeFactory().numberNode(42)))
                .isEqualTo("[200] Parameter sans must be a list of names or {\"type\", \"value\"} objects");
    }

    private static String sanRefusal(JsonNode san) {
        ObjectNode p = params().put("cn", "bad-san.example.com").put("profile", "edge");
        p.putArray("sans").add(san);
        return ca.rejected(CaTask.GENERATE, p);
    }

    @Test
    void viewCarriesSerialAndStatusForUpkiRaClientStatus() throws Exception {
        signed("status.example.com");
        // upki-ra's GET /api/client/status: view_certificate(dn), then check_ocsp(serial=DATA["serial"]).
        JsonNode view = raw("{\"TASK\": \"view\", \"params\": {\"dn\": \"/CN=status.example.com\"}}").get("DATA");
        assertThat(view.get("serial").isIntegralNumber()).isTrue();
        assertThat(view.get("serial")).isEqualTo(view.get("serial_number"));
        assertThat(view.get("status").asText()).isEqualTo("valid");
        JsonNode ocsp = raw("{\"TASK\": \"ocsp_check\", \"params\": {\"serial\": " + view.get("serial") + "}}");
        assertThat(ocsp.at("/DATA/status").asText()).isEqualTo("good");

        ca.call(CaTask.REVOKE, params().put("dn", "status.example.com").put("reason", "keyCompromise"));
        assertThat(view(view.get("serial").bigIntegerValue()).get("status").asText()).isEqualTo("revoked");
    }

    @Test
    void viewStatusOfAnExpiredCertificateIsExpired() {
        // The edge profile lasts 10 days; this test is the only one that moves the clock, and only forward.
        ObjectNode p = params().put("cn", "expiring.example.com").put("profile", "edge");
        BigInteger serial = ca.call(CaTask.GENERATE, p).get("serial").bigIntegerValue();
        CLOCK.advance(Duration.ofDays(11));

        JsonNode view = view(serial);
        assertThat(view.get("status").asText()).isEqualTo("expired");
        assertThat(view.get("is_valid").asBoolean()).isFalse();
        ObjectNode ocsp = params();
        ocsp.put("serial", serial);
        assertThat(ca.call(CaTask.OCSP_CHECK, ocsp).get("status").asText()).isEqualTo("expired");
    }
}
