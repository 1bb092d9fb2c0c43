package io.upki.pki.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Request envelopes of every task of CA-PROTOCOL.md section 5, checked against golden fixtures both ways. */
class RequestFixturesTest {
    private static final BigInteger SERIAL = new BigInteger("394849924032451189626582680205031369965229007474");
    private static final String ADMIN_SLASH = "/C=FR/O=Company/OU=Admins/CN=admin.example.internal";
    private static final String SEED = "example-seed-not-a-secret";

    private final WireCodec codec = new WireCodec();

    /** Fixture file (under wire/requests/) to the request it must hold, built without reading JSON. */
    static final String CLIENT_KEY = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";

    static Map<String, CaRequest> cases() {
        WireCodec codec = new WireCodec();
        Map<String, CaRequest> c = new LinkedHashMap<>();
        c.put("get_ca", CaRequest.of(CaTask.GET_CA, null));
        c.put("get_ca_chain", CaRequest.of(CaTask.GET_CA_CHAIN, null));
        c.put("get_crls", CaRequest.of(CaTask.GET_CRLS, null));
        c.put("get_crl", CaRequest.of(CaTask.GET_CRL, params()));
        c.put("generate_crl", CaRequest.of(CaTask.GENERATE_CRL, params()));
        c.put("generate_delta_crl", CaRequest.of(CaTask.GENERATE_DELTA_CRL, params()));
        c.put("get_delta_crl", CaRequest.of(CaTask.GET_DELTA_CRL, params()));
        c.put("list_profiles", CaRequest.of(CaTask.LIST_PROFILES, params()));
        c.put("get_profile", CaRequest.of(CaTask.GET_PROFILE, params().put("profile", "server")));
        c.put("list_admins", CaRequest.of(CaTask.LIST_ADMINS, params()));
        c.put("add_admin", CaRequest.of(CaTask.ADD_ADMIN, params().put("dn", ADMIN_SLASH)));
        c.put("remove_admin", CaRequest.of(CaTask.REMOVE_ADMIN,
                params().put("dn", "CN=admin.example.internal,OU=Admins,O=Company,C=FR")));
        ObjectNode register = params().put("seed", SEED).put("cn", "node1.example.com").put("profile", "server");
        register.set("sans", codec.toTree(List.of(new SubjectAltName("DNS", "node1.example.com"))));
        c.put("register", CaRequest.of(CaTask.REGISTER, register));
        // CA-PROTOCOL.md section 8, observed against uPKI.
        ObjectNode generate = params().put("cn", "gen-a1.example.com").put("profile", "server");
        generate.set("sans", codec.toTree(List.of(
                new SubjectAltName("DNS", "gen-a1.example.com"), new SubjectAltName("IP", "127.0.0.1"))));
        c.put("generate", CaRequest.of(CaTask.GENERATE, generate));
        c.put("sign", CaRequest.of(CaTask.SIGN, params()
                .put("csr", "-----BEGIN CERTIFICATE REQUEST-----\n...\n-----END CERTIFICATE REQUEST-----\n")
                .put("profile", "webapp")));
        // The codec reads every JSON integer as a BigInteger (serials need it), so expect one here too.
        ObjectNode renew = params().put("dn", "gen-a1.example.com");
        renew.put("duration", BigInteger.valueOf(30));
        c.put("renew", CaRequest.of(CaTask.RENEW, renew));
        // upki's addition: the RA's client renewal as one CA task (the reply is sign's).
        ObjectNode renewCsr = params();
        renewCsr.put("serial", SERIAL);
        renewCsr.put("csr", "-----BEGIN CERTIFICATE REQUEST-----\n...\n-----END CERTIFICATE REQUEST-----\n");
        c.put("renew_csr", CaRequest.of(CaTask.RENEW_CSR, renewCsr));
        c.put("revoke", CaRequest.of(CaTask.REVOKE,
                params().put("dn", "gen-a1.example.com").put("reason", "keyCompromise")));
        ObjectNode revokeSerial = params();
        revokeSerial.put("serial", SERIAL);
        revokeSerial.put("reason", "superseded");
        c.put("revoke_serial", CaRequest.of(CaTask.REVOKE, revokeSerial));
        c.put("unrevoke", CaRequest.of(CaTask.UNREVOKE, params().put("dn", "/CN=admin.example.internal")));
        c.put("delete", CaRequest.of(CaTask.DELETE,
                params().put("dn", "/C=FR/O=Company/OU=Servers/CN=gen-a1.example.com")));
        c.put("view", CaRequest.of(CaTask.VIEW, params().put("dn", "gen-a1.example.com")));
        c.put("ocsp_check", CaRequest.of(CaTask.OCSP_CHECK,
                params().put("cert", "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n")));
        c.put("list_nodes", CaRequest.of(CaTask.LIST_NODES, params()));
        c.put("get_node", CaRequest.of(CaTask.GET_NODE, params().put("cn", "gen-a1.example.com")));
        ObjectNode raRegister = params().put("seed", SEED).put("cn", "ra.example.internal").put("profile", "ra");
        raRegister.set("sans", codec.toTree(List.of(new SubjectAltName("DNS", "ra.example.internal"))));
        c.put("registration_register", CaRequest.of(CaTask.REGISTER, raRegister));
        c.put("status", CaRequest.of(CaTask.STATUS, params().put("cn", "ra.example.internal")));
        // What upki-ra 0.1.5 sends beyond uPKI's shapes (CA-PROTOCOL.md, "Accepted beyond uPKI"):
        // its ACME revoke-cert sends str(reason code), its client/status the serial that view returned,
        // its public /ocsp the serial as typed, its admin POST /nodes the SANs as plain strings.
        c.put("revoke_reason_code", CaRequest.of(CaTask.REVOKE,
                params().put("dn", "/CN=gen-a1.example.com").put("reason", "1")));
        ObjectNode ocspSerial = params();
        ocspSerial.put("serial", SERIAL);
        c.put("ocsp_check_serial", CaRequest.of(CaTask.OCSP_CHECK, ocspSerial));
        c.put("ocsp_check_serial_hex", CaRequest.of(CaTask.OCSP_CHECK, params().put("serial", "0x" + SERIAL.toString(16))));
        ObjectNode plainSans = params().put("seed", SEED).put("cn", "node2.example.com").put("profile", "server");
        plainSans.putArray("sans").add("www.example.com").add("10.0.0.1").add("mail@example.com")
                .add("https://x.example.com");
        c.put("register_plain_sans", CaRequest.of(CaTask.REGISTER, plainSans));
        c.put("status_without_cn", CaRequest.of(CaTask.STATUS, params()));
        // upki's CURVE client management (docs/SECURITY.md); the key is the ZeroMQ guide's example client key.
        c.put("enrol", CaRequest.of(CaTask.ENROL, params().put("seed", SEED).put("name", "alice")));
        c.put("list_clients", CaRequest.of(CaTask.LIST_CLIENTS, params()));
        c.put("add_client", CaRequest.of(CaTask.ADD_CLIENT, params().put("public_key", CLIENT_KEY)
                .put("role", "crl-publisher").put("name", "crl-publisher")));
        c.put("remove_client", CaRequest.of(CaTask.REMOVE_CLIENT, params().put("public_key", CLIENT_KEY)));
        return c;
    }

    static Stream<Arguments> fixtures() {
        return cases().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static ObjectNode params() {
        return JsonNodeFactory.instance.objectNode();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesFixtureToExpectedRequest(String fixture, CaRequest expected) {
        CaRequest decoded = codec.decodeRequest(Fixtures.bytes("requests/" + fixture + ".json"));

        assertThat(decoded).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void encodesExpectedRequestToFixture(String fixture, CaRequest expected) {
        JsonNode encoded = Fixtures.plainTree(codec.encodeRequest(expected));

        assertThat(encoded).isEqualTo(Fixtures.tree("requests/" + fixture + ".json"));
    }

    @Test
    void everyTaskHasAFixture() {
        Set<CaTask> covered = EnumSet.noneOf(CaTask.class);
        for (CaRequest request : cases().values()) {
            covered.add(CaTask.fromWireName(request.task()).orElseThrow());
        }

        assertThat(covered).containsExactlyInAnyOrder(CaTask.values());
    }

    @Test
    void generateFixtureIsTheObservedExampleOfSection8() {
        String observed = "{\"TASK\": \"generate\", \"params\": {\"cn\": \"gen-a1.example.com\","
                + " \"profile\": \"server\","
                + " \"sans\": [{\"type\": \"DNS\", \"value\": \"gen-a1.example.com\"},"
                + " {\"type\": \"IP\", \"value\": \"127.0.0.1\"}]}}";

        assertThat(Fixtures.tree("requests/generate.json"))
                .isEqualTo(Fixtures.plainTree(observed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void serialParameterIsEncodedAsAnExactJsonInteger() {
        String json = new String(codec.encodeRequest(cases().get("revoke_serial")), StandardCharsets.UTF_8);

        assertThat(json).contains("\"serial\":" + SERIAL + ",");
        JsonNode serial = codec.decodeRequest(json.getBytes(StandardCharsets.UTF_8)).params().get("serial");
        assertThat(serial.isIntegralNumber()).isTrue();
        assertThat(serial.bigIntegerValue()).isEqualTo(SERIAL);
    }

    @Test
    void nonAsciiParametersRoundTripAsUtf8() {
        CaRequest request = CaRequest.of(CaTask.GET_NODE, params().put("cn", "crème-brûlée.example.com"));

        byte[] frame = codec.encodeRequest(request);

        assertThat(new String(frame, StandardCharsets.UTF_8)).contains("crème-brûlée");
        assertThat(codec.decodeRequest(frame)).isEqualTo(request);
    }
}
