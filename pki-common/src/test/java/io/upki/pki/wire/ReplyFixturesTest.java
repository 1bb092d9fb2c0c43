package io.upki.pki.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reply envelopes (ANSWER with each result record, UPKI ERROR) checked against golden fixtures both ways. */
class ReplyFixturesTest {
    private static final BigInteger SERIAL = new BigInteger("394849924032451189626582680205031369965229007474");
    private static final String PEM = "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n";
    private static final String CN = "gen-a1.example.com";
    private static final List<SubjectAltName> SANS =
            List.of(new SubjectAltName("DNS", CN), new SubjectAltName("IP", "127.0.0.1"));

    private final WireCodec codec = new WireCodec();

    /** An ANSWER fixture: the type its DATA is read as and the value it must equal. */
    record AnswerCase(String fixture, Class<?> type, Object expected) {
        @Override
        public String toString() {
            return fixture;
        }
    }

    static Stream<AnswerCase> answers() {
        return Stream.of(
                new AnswerCase("generate", IssuedCertificate.class, new IssuedCertificate("/CN=" + CN, PEM, SERIAL)),
                new AnswerCase("sign", SignedCertificate.class, new SignedCertificate(PEM,
                        new BigInteger("1206191206290871213955427399394150036081573862712"))),
                new AnswerCase("registration_register", RaRegistration.class, new RaRegistration(
                        "registered", "ra.example.internal", "ra", PEM,
                        "-----BEGIN PRIVATE KEY-----\n(placeholder, not a key)\n-----END PRIVATE KEY-----\n",
                        "-----BEGIN CERTIFICATE-----\n(ca)\n-----END CERTIFICATE-----\n")),
                new AnswerCase("status_registered", RegistrationStatus.class, new RegistrationStatus("registered",
                        new RegistrationStatus.Node("ra.example.internal", "ra", "2025-11-27T12:00:00+00:00"))),
                new AnswerCase("status_not_registered", RegistrationStatus.class, RegistrationStatus.notRegistered()),
                new AnswerCase("ocsp_check_revoked", CertificateStatus.class, new CertificateStatus(
                        "revoked", SERIAL, CN, "keyCompromise", "2025-11-28T09:30:00+00:00")),
                new AnswerCase("ocsp_check_good", CertificateStatus.class,
                        new CertificateStatus("good", SERIAL, CN, null, null)),
                // ocsp_check by serial for a serial this CA does not hold: no cn to report.
                new AnswerCase("ocsp_check_unknown_serial", CertificateStatus.class,
                        new CertificateStatus("unknown", SERIAL, null, null, null)),
                new AnswerCase("get_node", NodeRecord.class, new NodeRecord("/C=FR/O=Company/OU=Servers/CN=" + CN,
                        CN, "server", "valid", SERIAL, SANS, "2026-01-26T12:00:00+00:00")),
                new AnswerCase("list_nodes", NodeRecord[].class, new NodeRecord[] {
                    new NodeRecord("/C=FR/O=Company/OU=Servers/CN=" + CN, CN, "server", "revoked", SERIAL,
                            List.of(new SubjectAltName("DNS", CN)), "2026-01-26T12:00:00+00:00"),
                    new NodeRecord("/C=FR/O=Company/OU=Admins/CN=admin.example.internal", "admin.example.internal",
                            "admin", "expired", BigInteger.valueOf(17), List.of(), "2025-01-01T00:00:00+00:00")}),
                new AnswerCase("get_profile_server", ProfileDocument.class, serverProfile()),
                new AnswerCase("view", CertificateView.class, revokedView()));
    }

    /** ANSWER fixtures whose DATA is a plain JSON value rather than a record. */
    static Stream<Arguments> plainAnswers() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Stream.of(
                Arguments.of("revoke", f.booleanNode(true)),
                Arguments.of("get_ca", f.textNode(PEM)),
                Arguments.of("get_crl", f.textNode("MIICsjCBmwIBATANBgkqhkiG9w0BAQsFADBAMQsw")),
                Arguments.of("list_profiles", f.arrayNode()
                        .add("ca").add("ra").add("server").add("webapp").add("laptop").add("user").add("admin")),
                Arguments.of("list_admins", f.arrayNode().add("/C=FR/O=Company/OU=Admins/CN=admin.example.internal")));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("error_missing_parameter", CaProtocolException.missingParameter("profile")),
                Arguments.of("error_unknown_task", CaProtocolException.unknownTask("frobnicate")),
                Arguments.of("error_certificate_not_found", new CaProtocolException(CaErrorCode.CERTIFICATE,
                        "Certificate not found: /CN=nobody.example.com")),
                // upki's CA: the same uPKI MSG, with the finer code beside it.
                Arguments.of("error_certificate_not_found_code", CaProtocolException.certificateNotFound("serial 12345")),
                Arguments.of("error_profile_not_found",
                        new CaProtocolException(CaErrorCode.PROFILE, "Profile not found: nope")),
                Arguments.of("error_invalid_json", CaProtocolException.invalidJson("Unexpected character")));
    }

    static ProfileDocument serverProfile() {
        Map<String, String> subject = new LinkedHashMap<>();
        subject.put("C", "FR");
        subject.put("O", "Company");
        subject.put("OU", "Servers");
        subject.put("CN", "");
        return new ProfileDocument("rsa", 4096, 60, "sha256", true, "", subject,
                List.of("digitalSignature", "keyEncipherment"), List.of("serverAuth"), "server", null);
    }

    static CertificateView revokedView() {
        Map<String, String> subject = new LinkedHashMap<>();
        subject.put("countryName", "FR");
        subject.put("organizationName", "Company");
        subject.put("organizationalUnitName", "Servers");
        subject.put("commonName", CN);
        Map<String, String> issuer = new LinkedHashMap<>();
        issuer.put("countryName", "FR");
        issuer.put("organizationName", "uPKI");
        issuer.put("organizationalUnitName", "CA");
        issuer.put("commonName", "uPKI Root CA");
        Map<String, Boolean> keyUsage = new LinkedHashMap<>();
        for (String name : List.of("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")) {
            keyUsage.put(name, name.equals("digital_signature") || name.equals("key_encipherment"));
        }
        return new CertificateView(subject, issuer, "/C=FR/O=Company/OU=Servers/CN=" + CN, SERIAL,
                "7f625272f2c69f26d80ef615088786eea27580dc020b0bf41ce1c6f9958f7401",
                "2025-11-27T12:00:00+00:00", "2026-01-26T12:00:00+00:00", SANS, keyUsage, List.of("serverAuth"),
                new CertificateView.BasicConstraints(false, null), false, false, true, "keyCompromise",
                "2025-11-28T09:30:00+00:00", "server", SERIAL, "revoked", PEM);
    }

    private JsonNode answerData(String fixture) {
        CaReply reply = codec.decodeReply(Fixtures.bytes("replies/" + fixture + ".json"));
        assertThat(reply).isInstanceOf(CaReply.Answer.class);
        return ((CaReply.Answer) reply).data();
    }

    private JsonNode encodedAnswer(Object value) {
        return Fixtures.plainTree(codec.encodeReply(new CaReply.Answer(codec.toTree(value))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void decodesAnswerFixtureToExpectedRecord(AnswerCase c) {
        Object decoded = codec.fromTree(answerData(c.fixture()), c.type());

        assertThat(decoded).usingRecursiveComparison().isEqualTo(c.expected());
        if (!c.type().isArray()) {
            assertThat(decoded).isEqualTo(c.expected());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void encodesExpectedRecordToAnswerFixture(AnswerCase c) {
        assertThat(encodedAnswer(c.expected())).isEqualTo(Fixtures.tree("replies/" + c.fixture() + ".json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainAnswers")
    void plainAnswerFixturesRoundTrip(String fixture, JsonNode expected) {
        assertThat(answerData(fixture)).isEqualTo(expected);
        assertThat(encodedAnswer(expected)).isEqualTo(Fixtures.tree("replies/" + fixture + ".json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorFixturesRoundTrip(String fixture, CaProtocolException error) {
        byte[] json = Fixtures.bytes("replies/" + fixture + ".json");

        assertThat(codec.decodeReply(json)).isEqualTo(CaReply.Error.of(error));
        assertThat(Fixtures.plainTree(codec.encodeReply(CaReply.Error.of(error)))).isEqualTo(Fixtures.plainTree(json));
    }

    @Test
    void serialStaysAnExactJsonInteger() {
        JsonNode serial = answerData("generate").get("serial");
        assertThat(serial.isIntegralNumber()).as("decoded serial is an integer node").isTrue();
        assertThat(serial.bigIntegerValue()).isEqualTo(SERIAL);

        byte[] encoded = codec.encodeReply(
                new CaReply.Answer(codec.toTree(new IssuedCertificate("/CN=" + CN, PEM, SERIAL))));

        assertThat(new String(encoded, StandardCharsets.UTF_8)).contains("\"serial\":" + SERIAL + "}");
        JsonNode reread = Fixtures.plainTree(encoded).path("DATA").path("serial");
        assertThat(reread.isBigInteger()).as("re-read serial %s is a big integer", reread).isTrue();
        assertThat(reread.bigIntegerValue()).isEqualTo(SERIAL);
    }

    @Test
    void serverProfileIsTheObservedGetProfileAnswerInUpkiKeyOrder() {
        String observed = "{\"keyType\": \"rsa\", \"keyLen\": 4096, \"duration\": 60, \"digest\": \"sha256\","
                + " \"altnames\": true, \"domain\": \"\", \"subject\": {\"C\": \"FR\", \"O\": \"Company\","
                + " \"OU\": \"Servers\","
                + " \"CN\": \"\"}, \"keyUsage\": [\"digitalSignature\", \"keyEncipherment\"], \"extendedKeyUsage\":"
                + " [\"serverAuth\"], \"certType\": \"server\"}";
        JsonNode expected = Fixtures.plainTree(observed.getBytes(StandardCharsets.UTF_8));

        JsonNode encoded = encodedAnswer(serverProfile()).get("DATA");

        assertThat(encoded).isEqualTo(expected);
        assertThat(fieldNames(encoded)).containsExactlyElementsOf(fieldNames(expected));
        assertThat(fieldNames(encoded.get("subject"))).containsExactly("C", "O", "OU", "CN");
        assertThat(encoded.has("pathLen")).isFalse();
    }

    @Test
    void profilePathLenAppearsOnlyWhenSet() {
        ProfileDocument p = serverProfile();
        ProfileDocument ca = new ProfileDocument("rsa", 4096, 3650, "sha256", false, "", p.subject(),
                List.of("keyCertSign", "cRLSign"), List.of(), "authority", 0);

        JsonNode tree = codec.toTree(ca);

        assertThat(tree.get("pathLen").isIntegralNumber()).isTrue();
        assertThat(tree.get("pathLen").intValue()).isZero();
        assertThat(fieldNames(tree)).last().isEqualTo("pathLen");
    }

    @Test
    void notRegisteredStatusHasNoNodeKey() {
        JsonNode tree = encodedAnswer(RegistrationStatus.notRegistered()).get("DATA");

        assertThat(fieldNames(tree)).containsExactly("status");
        assertThat(tree.get("status").asText()).isEqualTo("not_registered");
    }

    @Test
    void goodStatusHasNoRevocationKeys() {
        JsonNode tree = encodedAnswer(new CertificateStatus("good", SERIAL, CN, null, null)).get("DATA");

        assertThat(fieldNames(tree)).containsExactly("status", "serial", "cn");
    }

    @Test
    void raRegistrationUsesSnakeCaseKeys() {
        JsonNode tree = answerData("registration_register");

        assertThat(fieldNames(tree))
                .containsExactlyInAnyOrder("status", "cn", "profile", "certificate", "private_key", "ca_certificate");
    }

    @Test
    void certificateViewHasUpkiKeysAndOnlyDocumentedAdditions() {
        List<String> keys = fieldNames(encodedAnswer(revokedView()).get("DATA"));

        // The keys uPKI's view sends (CA-PROTOCOL.md section 5)...
        assertThat(keys).contains("subject", "issuer", "serial_number", "fingerprint", "not_valid_before",
                "not_valid_after", "sans", "key_usage", "basic_constraints", "is_ca", "is_revoked", "revoke_reason");
        // ...and nothing beyond the additions this CA documents.
        assertThat(keys).containsExactlyInAnyOrder("subject", "issuer", "dn", "serial_number", "fingerprint",
                "not_valid_before", "not_valid_after", "sans", "key_usage", "extended_key_usage", "basic_constraints",
                "is_ca", "is_valid", "is_revoked", "revoke_reason", "revoke_date", "profile", "serial", "status",
                "certificate");
    }

    @Test
    void certificateViewCarriesSerialAndStatusAsUpkiRaReadsThem() {
        // upki-ra's /api/client/status reads DATA["serial"] (and passes it to ocsp_check) and DATA["status"].
        JsonNode data = answerData("view");

        assertThat(data.get("serial").isIntegralNumber()).isTrue();
        assertThat(data.get("serial").bigIntegerValue()).isEqualTo(data.get("serial_number").bigIntegerValue());
        assertThat(data.get("status").asText()).isEqualTo("revoked");
    }

    @Test
    void certificateViewOfAValidCertificateKeepsRevokeReasonAsNull() {
        CertificateView r = revokedView();
        CertificateView valid = new CertificateView(r.subject(), r.issuer(), r.dn(), r.serialNumber(), r.fingerprint(),
                r.notValidBefore(), r.notValidAfter(), r.sans(), r.keyUsage(), r.extendedKeyUsage(),
                r.basicConstraints(), false, true, false, null, null, "server", r.serialNumber(), "valid", r.certificate());

        JsonNode tree = codec.toTree(valid);

        assertThat(tree.has("revoke_reason")).isTrue();
        assertThat(tree.get("revoke_reason").isNull()).isTrue();
        assertThat(codec.fromTree(tree, CertificateView.class)).isEqualTo(valid);
    }

    @Test
    void answerWithoutDataDecodesAsJsonNull() {
        CaReply reply = codec.decodeReply("{\"EVENT\": \"ANSWER\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(reply).isInstanceOf(CaReply.Answer.class);
        assertThat(((CaReply.Answer) reply).data().isNull()).isTrue();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
