package io.upki.ca.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.testing.CaFixture;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.testkit.ForwardAuthVectors;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every operations-port task of CA-PROTOCOL.md section 5 through real ZeroMQ sockets on loopback. */
class OperationsTasksTest {
    // A custom EC profile: tests custom YAML profiles and keeps CA-side key generation fast.
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().edgeProfile();

    static ObjectNode params() {
        return CaClient.params();
    }

    static X509Certificate cert(JsonNode data) {
        return Pem.parseCertificate(data.get("certificate").asText());
    }

    static X509CRL crl(String base64) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    static CaClientException rejected(CaTask task, ObjectNode p) {
        try {
            ca.call(task, p);
        } catch (CaClientException e) {
            assertThat(e.kind()).isEqualTo(CaClientException.Kind.REJECTED);
            return e;
        }
        throw new AssertionError(task + " was accepted");
    }

    @Test
    void getCaReturnsPemWithTrailingNewline() {
        String pem = ca.call(CaTask.GET_CA, params()).asText();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(Pem.parseCertificate(pem).getBasicConstraints()).isEqualTo(0);
    }

    @Test
    void listProfilesHasTheSevenBuiltInsInOrderThenUpkisThenCustom() {
        JsonNode list = ca.call(CaTask.LIST_PROFILES, params());
        assertThat(list.toString()).isEqualTo(
                "[\"ca\",\"ra\",\"server\",\"webapp\",\"laptop\",\"user\",\"admin\",\"ocsp\",\"proxy\",\"edge\",\"sidecar\"]");
    }

    @Test
    void getProfileServerIsUpkisObservedDocument() {
        JsonNode server = ca.call(CaTask.GET_PROFILE, params().put("profile", "server"));
        assertThat(server.toString()).isEqualTo("{\"keyType\":\"rsa\",\"keyLen\":4096,\"duration\":60,\"digest\":\"sha256\","
                + "\"altnames\":true,\"domain\":\"\",\"subject\":{\"C\":\"FR\",\"O\":\"Company\",\"OU\":\"Servers\",\"CN\":\"\"},"
                + "\"keyUsage\":[\"digitalSignature\",\"keyEncipherment\"],\"extendedKeyUsage\":[\"serverAuth\"],"
                + "\"certType\":\"server\"}");
    }

    @Test
    void builtInProfilesKeepUpkisValues() {
        record Row(String name, int keyLen, int days, String ou, String ku, String eku) {
        }
        List<Row> rows = List.of(
                new Row("ca", 4096, 3650, "CA", "[\"keyCertSign\",\"cRLSign\"]", "[]"),
                new Row("ra", 4096, 365, "RA", "[\"digitalSignature\",\"keyEncipherment\"]", "[\"serverAuth\",\"clientAuth\"]"),
                new Row("server", 4096, 60, "Servers", "[\"digitalSignature\",\"keyEncipherment\"]", "[\"serverAuth\"]"),
                new Row("webapp", 4096, 60, "WebApps", "[\"digitalSignature\",\"keyEncipherment\"]", "[\"serverAuth\",\"clientAuth\"]"),
                new Row("laptop", 4096, 30, "Users", "[\"digitalSignature\",\"nonRepudiation\"]", "[\"clientAuth\",\"emailProtection\"]"),
                new Row("user", 2048, 30, "Users", "[\"digitalSignature\",\"nonRepudiation\"]", "[\"clientAuth\"]"),
                new Row("admin", 4096, 365, "Admins", "[\"digitalSignature\",\"nonRepudiation\"]", "[\"clientAuth\"]"));
        for (Row row : rows) {
            JsonNode p = ca.call(CaTask.GET_PROFILE, params().put("profile", row.name()));
            assertThat(p.get("keyType").asText()).as(row.name()).isEqualTo("rsa");
            assertThat(p.get("keyLen").asInt()).as(row.name()).isEqualTo(row.keyLen());
            assertThat(p.get("duration").asInt()).as(row.name()).isEqualTo(row.days());
            assertThat(p.get("digest").asText()).as(row.name()).isEqualTo("sha256");
            assertThat(p.at("/subject/C").asText()).as(row.name()).isEqualTo("FR");
            assertThat(p.at("/subject/OU").asText()).as(row.name()).isEqualTo(row.ou());
            assertThat(p.get("keyUsage").toString()).as(row.name()).isEqualTo(row.ku());
            assertThat(p.get("extendedKeyUsage").toString()).as(row.name()).isEqualTo(row.eku());
        }
    }

    @Test
    void getProfileErrors() {
        assertThat(rejected(CaTask.GET_PROFILE, params()).getMessage()).isEqualTo("[700] Missing profile parameter");
        assertThat(rejected(CaTask.GET_PROFILE, params().put("profile", "nope")).getMessage())
                .isEqualTo("[500] Profile not found: nope");
    }

    @Test
    void generateWithAdminProfileGivesClientAuthCertificate() throws Exception {
        JsonNode data = ca.call(CaTask.GENERATE, params().put("cn", "admin.example.internal").put("profile", "admin"));
        assertThat(data.get("dn").asText()).isEqualTo("/CN=admin.example.internal");
        assertThat(data.get("serial").isIntegralNumber()).isTrue();
        X509Certificate cert = cert(data);
        assertThat(cert.getSerialNumber()).isEqualTo(data.get("serial").bigIntegerValue());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=admin.example.internal,OU=Admins,O=Company,C=FR");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.15", "2.5.29.19");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(data.get("certificate").asText()).endsWith("-----END CERTIFICATE-----\n");
        // The key stays with the CA, readable by its owner only.
        Path key = ca.dir().resolve("private").resolve(cert.getSerialNumber().toString(16) + ".key");
        assertThat(Files.getPosixFilePermissions(key)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    @Test
    void generateWithSansAndCustomProfile() throws Exception {
        ObjectNode p = params().put("cn", "gen-a1.example.com").put("profile", "edge");
        p.putArray("sans").add(params().put("type", "DNS").put("value", "gen-a1.example.com"))
                .add(params().put("type", "IP").put("value", "127.0.0.1"));
        X509Certificate cert = cert(ca.call(CaTask.GENERATE, p));
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .containsExactly("gen-a1.example.com", "127.0.0.1");
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=gen-a1.example.com,OU=Edge,O=Company,C=FR");
        long days = (cert.getNotAfter().getTime() - cert.getNotBefore().getTime()) / 86_400_000L;
        assertThat(days).isEqualTo(10);
    }

    @Test
    void generateValidationErrors() {
        assertThat(rejected(CaTask.GENERATE, params()).getMessage()).isEqualTo("[700] Missing cn parameter");
        assertThat(rejected(CaTask.GENERATE, params().put("cn", "x".repeat(65)).put("profile", "edge")).getMessage())
                .isEqualTo("[200] Common Name exceeds maximum length of 64 characters");
        ObjectNode reserved = params().put("cn", "svc").put("profile", "edge");
        reserved.putArray("sans").add(params().put("type", "DNS").put("value", "localhost"));
        assertThat(rejected(CaTask.GENERATE, reserved).getMessage())
                .isEqualTo("[200] Domain 'localhost' is reserved and cannot be used");
        assertThat(rejected(CaTask.GENERATE, params().put("cn", "svc").put("profile", "nope")).getMessage())
                .isEqualTo("[500] Profile not found: nope");
        ObjectNode wrongType = params().put("cn", "svc");
        wrongType.put("profile", 5);
        assertThat(rejected(CaTask.GENERATE, wrongType).getMessage()).isEqualTo("[200] Parameter profile must be a string");
    }

    @Test
    void signCopiesSubjectAndSansFromCsrAndUsagesFromProfile() throws Exception {
        String csr = TestKeys.csr(TestKeys.ec256(), "C=DE,O=Acme,CN=web.example.com", List.of("web.example.com", "www.example.com"));
        JsonNode data = ca.call(CaTask.SIGN, params().put("csr", csr).put("profile", "server"));
        assertThat(data.has("dn")).isFalse();
        X509Certificate cert = cert(data);
        assertThat(cert.getSerialNumber()).isEqualTo(data.get("serial").bigIntegerValue());
        assertThat(cert.getSerialNumber().bitLength()).isBetween(64, 159);
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=web.example.com,O=Acme,C=DE");
        assertThat(cert.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .containsExactly("web.example.com", "www.example.com");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getKeyUsage()[0]).isTrue(); // digitalSignature
        assertThat(cert.getKeyUsage()[2]).isTrue(); // keyEncipherment
        long days = (cert.getNotAfter().getTime() - cert.getNotBefore().getTime()) / 86_400_000L;
        assertThat(days).isEqualTo(60);
        // SKI and AKI (RFC 5280 4.2.1.1-2): the AKI is the CA's SKI.
        X509Certificate caCert = Pem.parseCertificate(ca.call(CaTask.GET_CA, params()).asText());
        byte[] aki = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(cert.getExtensionValue("2.5.29.35")).getOctets()).getKeyIdentifierObject().getOctets();
        byte[] caSki = org.bouncycastle.asn1.ASN1OctetString.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(caCert.getExtensionValue("2.5.29.14")).getOctets()).getOctets();
        assertThat(aki).isEqualTo(caSki);
        assertThat(cert.getExtensionValue("2.5.29.14")).isNotNull();
        cert.verify(caCert.getPublicKey());
    }

    @Test
    void signWithoutSubjectTakesTheFallbackCnOnlyWhenItIsOneOfTheSans() throws Exception {
        String csr = TestKeys.csr(TestKeys.ec256(), "", List.of("acme-a.example.internal", "acme-b.example.internal"));
        JsonNode data = ca.call(CaTask.SIGN, params().put("csr", csr).put("cn", "acme-b.example.internal"));
        X509Certificate cert = Pem.parseCertificate(data.get("certificate").asText());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=acme-b.example.internal");
        assertThat(cert.getSubjectAlternativeNames()).hasSize(2);
        assertThat(rejected(CaTask.SIGN, params().put("csr", csr).put("cn", "other.example.internal")).getMessage())
                .isEqualTo("[300] CSR has no Common Name");
        assertThat(rejected(CaTask.SIGN, params().put("csr", csr)).getMessage()).isEqualTo("[300] CSR has no Common Name");
    }

    @Test
    void signErrors() {
        assertThat(rejected(CaTask.SIGN, params()).getMessage()).isEqualTo("[700] Missing csr parameter");
        assertThat(rejected(CaTask.SIGN, params().put("csr", "garbage")).getMessage()).startsWith("[300] Failed to load CSR: ");
        assertThat(rejected(CaTask.SIGN, params().put("csr", TestKeys.csr("O=NoCn,C=FR"))).getMessage())
                .isEqualTo("[300] CSR has no Common Name");
        assertThat(rejected(CaTask.SIGN, params().put("csr", TestKeys.csr(TestKeys.rsa(1024), "CN=weak", List.of())))
                .getMessage()).isEqualTo("[400] Key length 1024 is below minimum (2048 bits)");
        assertThat(rejected(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=x")).put("profile", "nope")).getMessage())
                .isEqualTo("[500] Profile not found: nope");
        assertThat(rejected(CaTask.SIGN, params().put("csr", TestKeys.csr(TestKeys.ec256(), "CN=x", List.of("localhost"))))
                .getMessage()).isEqualTo("[200] Domain 'localhost' is reserved and cannot be used");
        // A CA profile under a root with pathLen 0 would give an unusable certificate: refused, never CA:FALSE+keyCertSign.
        assertThat(rejected(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=sub")).put("profile", "ca")).getMessage())
                .startsWith("[500] Profile 'ca' issues CA certificates");
    }

    @Test
    void signatureOfCsrIsChecked() {
        String csr = TestKeys.csr("CN=tampered.example.com");
        // Flip one character inside the base64 body: the self-signature no longer verifies, or it no longer parses.
        int at = csr.indexOf('\n') + 200;
        char c = csr.charAt(at);
        String tampered = csr.substring(0, at) + (c == 'A' ? 'B' : 'A') + csr.substring(at + 1);
        assertThat(rejected(CaTask.SIGN, params().put("csr", tampered)).code()).isEqualTo(CaErrorCode.CERTIFICATE);
    }

    @Test
    void seedRevocationFlowListsSerialWithReasonInNextCrl() throws Exception {
        JsonNode issued = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=revoke-me.example.internal")).put("profile", "admin"));
        BigInteger serial = issued.get("serial").bigIntegerValue();
        assertThat(ca.call(CaTask.REVOKE, params().put("dn", "/CN=revoke-me.example.internal")
                .put("reason", "cessationOfOperation")).asBoolean()).isTrue();
        X509CRL crl = crl(ca.call(CaTask.GENERATE_CRL, params()).asText());
        X509CRLEntry entry = crl.getRevokedCertificate(serial);
        assertThat(entry).isNotNull();
        assertThat(entry.getRevocationReason()).isEqualTo(java.security.cert.CRLReason.CESSATION_OF_OPERATION);
        assertThat(crl.getVersion()).isEqualTo(2);
        crl.verify(Pem.parseCertificate(ca.call(CaTask.GET_CA, params()).asText()).getPublicKey());
    }

    @Test
    void crlNumbersStrictlyIncreaseAndGetCrlReturnsTheLatest() throws Exception {
        X509CRL first = crl(ca.call(CaTask.GENERATE_CRL, params()).asText());
        X509CRL second = crl(ca.call(CaTask.GENERATE_CRL, params()).asText());
        assertThat(crlNumber(second)).isGreaterThan(crlNumber(first));
        X509CRL current = crl(ca.call(CaTask.GET_CRL, params()).asText());
        assertThat(crlNumber(current)).isGreaterThanOrEqualTo(crlNumber(second));
        assertThat(current.getNextUpdate()).isAfter(current.getThisUpdate());
        assertThat(current.getExtensionValue("2.5.29.35")).as("AKI").isNotNull();
        String b64 = ca.call(CaTask.GET_CRL, params()).asText();
        assertThat(b64).doesNotContain("\n").doesNotContain("BEGIN");
    }

    static BigInteger crlNumber(X509CRL crl) {
        byte[] ext = crl.getExtensionValue("2.5.29.20");
        return org.bouncycastle.asn1.ASN1Integer.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getValue();
    }

    @Test
    void revokeAddressesCertificatesByEveryForm() throws Exception {
        for (String form : List.of("bare", "slash-cn", "rfc4514", "serial")) {
            String cn = "addr-" + form + ".example.internal";
            JsonNode issued = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=" + cn)).put("profile", "admin"));
            BigInteger serial = issued.get("serial").bigIntegerValue();
            ObjectNode p = params().put("reason", "keyCompromise");
            switch (form) {
                case "bare" -> p.put("dn", cn);
                case "slash-cn" -> p.put("dn", "/CN=" + cn);
                case "rfc4514" -> p.put("dn", "CN=" + cn);
                default -> p.put("serial", serial);
            }
            assertThat(ca.call(CaTask.REVOKE, p).asBoolean()).isTrue();
            JsonNode view = ca.call(CaTask.VIEW, params().put("serial", serial));
            assertThat(view.get("is_revoked").asBoolean()).as(form).isTrue();
            assertThat(view.get("revoke_reason").asText()).isEqualTo("keyCompromise");
        }
        // Full DNs, slash and RFC 4514, against a certificate whose subject has several RDNs.
        JsonNode gen = ca.call(CaTask.GENERATE, params().put("cn", "full-dn.example.com").put("profile", "edge"));
        BigInteger serial = gen.get("serial").bigIntegerValue();
        assertThat(ca.call(CaTask.VIEW, params().put("dn", "/C=FR/O=Company/OU=Edge/CN=full-dn.example.com"))
                .get("serial_number").bigIntegerValue()).isEqualTo(serial);
        assertThat(ca.call(CaTask.VIEW, params().put("dn", "CN=full-dn.example.com,OU=Edge,O=Company,C=FR"))
                .get("serial_number").bigIntegerValue()).isEqualTo(serial);
        assertThat(rejected(CaTask.VIEW, params().put("dn", "/C=FR/O=Other/OU=Edge/CN=full-dn.example.com")).getMessage())
                .isEqualTo("[300] Certificate not found: /C=FR/O=Other/OU=Edge/CN=full-dn.example.com");
    }

    @Test
    void aCnNamesTheNewestCertificateThatIsNotRevoked() {
        String cn = "rotating.example.internal";
        BigInteger first = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=" + cn))).get("serial").bigIntegerValue();
        BigInteger second = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=" + cn))).get("serial").bigIntegerValue();
        assertThat(ca.call(CaTask.VIEW, params().put("dn", cn)).get("serial_number").bigIntegerValue()).isEqualTo(second);
        ca.call(CaTask.REVOKE, params().put("serial", second).put("reason", "superseded"));
        assertThat(ca.call(CaTask.VIEW, params().put("dn", cn)).get("serial_number").bigIntegerValue()).isEqualTo(first);
    }

    @Test
    void revokeTwiceKeepsOneEntryAndTheFirstReason() throws Exception {
        BigInteger serial = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=twice.example.internal")))
                .get("serial").bigIntegerValue();
        ca.call(CaTask.REVOKE, params().put("serial", serial).put("reason", "keyCompromise"));
        assertThat(ca.call(CaTask.REVOKE, params().put("serial", serial).put("reason", "superseded")).asBoolean()).isTrue();
        X509CRL crl = crl(ca.call(CaTask.GENERATE_CRL, params()).asText());
        assertThat(crl.getRevokedCertificates().stream().filter(e -> e.getSerialNumber().equals(serial))).hasSize(1);
        assertThat(crl.getRevokedCertificate(serial).getRevocationReason())
                .isEqualTo(java.security.cert.CRLReason.KEY_COMPROMISE);
    }

    @Test
    void revokeErrorsChangeNothing() {
        BigInteger serial = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=bad-reason.example.internal")))
                .get("serial").bigIntegerValue();
        assertThat(rejected(CaTask.REVOKE, params().put("dn", "bad-reason.example.internal").put("reason", "bored"))
                .getMessage()).isEqualTo("[200] Invalid revocation reason: bored. Allowed values: ['unspecified', "
                + "'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', "
                + "'certificateHold', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise']");
        assertThat(ca.call(CaTask.VIEW, params().put("serial", serial)).get("is_revoked").asBoolean()).isFalse();
        assertThat(rejected(CaTask.REVOKE, params().put("reason", "keyCompromise")).getMessage())
                .isEqualTo("[700] Missing dn parameter");
        assertThat(rejected(CaTask.REVOKE, params().put("dn", "/CN=nobody.example.internal")).getMessage())
                .isEqualTo("[300] Certificate not found: /CN=nobody.example.internal");
        assertThat(rejected(CaTask.REVOKE, params().put("serial", 12345)).getMessage())
                .isEqualTo("[300] Certificate not found: serial 12345");
        // Reasons are case-insensitive, as in uPKI; the stored name is the canonical one.
        ca.call(CaTask.REVOKE, params().put("serial", serial).put("reason", "KEYCOMPROMISE"));
        assertThat(ca.call(CaTask.VIEW, params().put("serial", serial)).get("revoke_reason").asText()).isEqualTo("keyCompromise");
    }

    @Test
    void certificateHoldCanBeLiftedOtherReasonsCannot() throws Exception {
        BigInteger held = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=held.example.internal")))
                .get("serial").bigIntegerValue();
        ca.call(CaTask.REVOKE, params().put("serial", held).put("reason", "certificateHold"));
        X509CRL onHold = crl(ca.call(CaTask.GENERATE_CRL, params()).asText());
        assertThat(onHold.getRevokedCertificate(held).getRevocationReason())
                .isEqualTo(java.security.cert.CRLReason.CERTIFICATE_HOLD);
        assertThat(ca.call(CaTask.UNREVOKE, params().put("serial", held)).asBoolean()).isTrue();
        assertThat(crl(ca.call(CaTask.GENERATE_CRL, params()).asText()).getRevokedCertificate(held)).isNull();

        BigInteger gone = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=gone.example.internal")))
                .get("serial").bigIntegerValue();
        ca.call(CaTask.REVOKE, params().put("serial", gone).put("reason", "keyCompromise"));
        assertThat(rejected(CaTask.UNREVOKE, params().put("serial", gone)).getMessage())
                .startsWith("[900] Only a certificateHold can be lifted");
        assertThat(rejected(CaTask.UNREVOKE, params().put("serial", held)).getMessage()).startsWith("[900] Certificate is not revoked");
        assertThat(rejected(CaTask.REVOKE, params().put("serial", held).put("reason", "removeFromCRL")).getMessage())
                .startsWith("[900] removeFromCRL cannot be used to revoke");
        assertThat(CRLReason.certificateHold).isEqualTo(6);
    }

    @Test
    void deleteRevokesWithCessationOfOperation() {
        BigInteger serial = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=delete-me.example.internal")))
                .get("serial").bigIntegerValue();
        assertThat(ca.call(CaTask.DELETE, params().put("dn", "delete-me.example.internal")).asBoolean()).isTrue();
        JsonNode view = ca.call(CaTask.VIEW, params().put("serial", serial));
        assertThat(view.get("revoke_reason").asText()).isEqualTo("cessationOfOperation");
        assertThat(rejected(CaTask.DELETE, params()).getMessage()).isEqualTo("[700] Missing dn parameter");
    }

    @Test
    void viewHasUpkisKeys() {
        JsonNode issued = ca.call(CaTask.SIGN, params().put("csr",
                TestKeys.csr(TestKeys.ec256(), "C=FR,O=Company,OU=Servers,CN=view.example.com", List.of("view.example.com"))));
        JsonNode view = ca.call(CaTask.VIEW, params().put("dn", "view.example.com"));
        assertThat(view.get("subject").toString()).isEqualTo("{\"countryName\":\"FR\",\"organizationName\":\"Company\","
                + "\"organizationalUnitName\":\"Servers\",\"commonName\":\"view.example.com\"}");
        assertThat(view.get("issuer").get("commonName").asText()).isEqualTo("uPKI Root CA");
        assertThat(view.get("serial_number").bigIntegerValue()).isEqualTo(issued.get("serial").bigIntegerValue());
        assertThat(view.get("fingerprint").asText()).matches("[0-9a-f]{64}");
        assertThat(view.get("not_valid_before").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
        assertThat(view.get("sans").toString()).isEqualTo("[{\"type\":\"DNS\",\"value\":\"view.example.com\"}]");
        assertThat(view.get("key_usage").get("digital_signature").asBoolean()).isTrue();
        assertThat(view.get("key_usage").get("key_cert_sign").asBoolean()).isFalse();
        assertThat(view.get("basic_constraints").toString()).isEqualTo("{\"ca\":false,\"path_length\":null}");
        assertThat(view.get("is_ca").asBoolean()).isFalse();
        assertThat(view.get("is_revoked").asBoolean()).isFalse();
        assertThat(view.get("revoke_reason").isNull()).isTrue();
        assertThat(rejected(CaTask.VIEW, params()).getMessage()).isEqualTo("[700] Missing dn parameter");
    }

    @Test
    void renewGivesANewSerialForTheSameSubjectAndKey() throws Exception {
        JsonNode issued = ca.call(CaTask.SIGN, params().put("csr",
                TestKeys.csr(TestKeys.ec256(), "CN=renew.example.com", List.of("renew.example.com"))));
        X509Certificate old = cert(issued);
        JsonNode renewed = ca.call(CaTask.RENEW, params().put("dn", "renew.example.com").put("duration", 5));
        X509Certificate fresh = cert(renewed);
        assertThat(fresh.getSerialNumber()).isNotEqualTo(old.getSerialNumber())
                .isEqualTo(renewed.get("serial").bigIntegerValue());
        assertThat(fresh.getSubjectX500Principal()).isEqualTo(old.getSubjectX500Principal());
        assertThat(fresh.getPublicKey()).isEqualTo(old.getPublicKey());
        assertThat(List.copyOf(fresh.getSubjectAlternativeNames())).isEqualTo(List.copyOf(old.getSubjectAlternativeNames()));
        assertThat((fresh.getNotAfter().getTime() - fresh.getNotBefore().getTime()) / 86_400_000L).isEqualTo(5);
        assertThat(rejected(CaTask.RENEW, params().put("dn", "renew.example.com").put("duration", -1)).getMessage())
                .isEqualTo("[200] duration must be between 1 and 36500");
        assertThat(rejected(CaTask.RENEW, params().put("dn", "nobody")).getMessage())
                .isEqualTo("[300] Certificate not found: nobody");
    }

    @Test
    void ocspCheckReportsGoodRevokedAndUnknown() throws Exception {
        JsonNode issued = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=ocsp.example.com")));
        String pem = issued.get("certificate").asText();
        JsonNode good = ca.call(CaTask.OCSP_CHECK, params().put("cert", pem));
        assertThat(good.get("status").asText()).isEqualTo("good");
        assertThat(good.get("serial").bigIntegerValue()).isEqualTo(issued.get("serial").bigIntegerValue());
        assertThat(good.get("cn").asText()).isEqualTo("ocsp.example.com");
        assertThat(good.has("revoke_reason")).isFalse();
        ca.call(CaTask.REVOKE, params().put("dn", "ocsp.example.com").put("reason", "affiliationChanged"));
        JsonNode revoked = ca.call(CaTask.OCSP_CHECK, params().put("cert", pem));
        assertThat(revoked.get("status").asText()).isEqualTo("revoked");
        assertThat(revoked.get("revoke_reason").asText()).isEqualTo("affiliationChanged");
        assertThat(revoked.get("revoke_date").asText()).endsWith("+00:00");
        // A certificate from another CA is unknown, never "good".
        String foreign = Files.readString(ForwardAuthVectors.dir().resolve("pki/client.crt"));
        assertThat(ca.call(CaTask.OCSP_CHECK, params().put("cert", foreign)).get("status").asText()).isEqualTo("unknown");
        assertThat(rejected(CaTask.OCSP_CHECK, params().put("cert", "nonsense")).getMessage())
                .startsWith("[300] Failed to load certificate");
        assertThat(rejected(CaTask.OCSP_CHECK, params()).getMessage()).isEqualTo("[700] Missing cert parameter");
    }

    @Test
    void adminListReflectsChangesAtOnceWithoutDuplicates() {
        String dn = "/C=FR/O=Company/OU=Admins/CN=list-admin.example.internal";
        assertThat(ca.call(CaTask.ADD_ADMIN, params().put("dn", dn)).asBoolean()).isTrue();
        // The same DN in RFC 4514 form is the same administrator.
        ca.call(CaTask.ADD_ADMIN, params().put("dn", "CN=list-admin.example.internal,OU=Admins,O=Company,C=FR"));
        assertThat(ca.client().listAdmins()).containsOnlyOnce(dn);
        assertThat(ca.call(CaTask.REMOVE_ADMIN, params().put("dn", dn)).asBoolean()).isTrue();
        assertThat(ca.client().listAdmins()).doesNotContain(dn);
        assertThat(rejected(CaTask.ADD_ADMIN, params()).getMessage()).isEqualTo("[700] Missing dn parameter");
        assertThat(rejected(CaTask.ADD_ADMIN, params().put("dn", "/XX=1")).getMessage()).startsWith("[200] Invalid DN");
    }

    @Test
    void nodesListAndGetNode() {
        JsonNode issued = ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=node.example.com")).put("profile", "webapp"));
        JsonNode node = ca.call(CaTask.GET_NODE, params().put("cn", "node.example.com"));
        assertThat(node.get("dn").asText()).isEqualTo("/CN=node.example.com");
        assertThat(node.get("cn").asText()).isEqualTo("node.example.com");
        assertThat(node.get("profile").asText()).isEqualTo("webapp");
        assertThat(node.get("state").asText()).isEqualTo("valid");
        assertThat(node.get("serial").bigIntegerValue()).isEqualTo(issued.get("serial").bigIntegerValue());
        assertThat(node.get("not_after").asText()).endsWith("+00:00");
        JsonNode all = ca.call(CaTask.LIST_NODES, params());
        assertThat(all.isArray()).isTrue();
        assertThat(all.findValuesAsText("cn")).contains("node.example.com");
        assertThat(ca.call(CaTask.LIST_NODES, params().put("limit", 1)).size()).isEqualTo(1);
        assertThat(ca.call(CaTask.LIST_NODES, params().put("limit", 1).put("offset", 0)).size()).isEqualTo(1);
        assertThat(rejected(CaTask.LIST_NODES, params().put("offset", -1)).getMessage()).startsWith("[200] offset must be");
        assertThat(rejected(CaTask.GET_NODE, params()).getMessage()).isEqualTo("[700] Missing cn parameter");
        assertThat(rejected(CaTask.GET_NODE, params().put("cn", "ghost")).getMessage())
                .isEqualTo("[300] Certificate not found: ghost");
    }

    @Test
    void registerOnOperationsPortChecksTheSeed() {
        assertThat(rejected(CaTask.REGISTER, params().put("seed", "wrong").put("cn", "node-1").put("profile", "edge"))
                .getMessage()).isEqualTo("[700] Invalid registration seed");
        assertThat(rejected(CaTask.REGISTER, params().put("cn", "node-1")).getMessage()).isEqualTo("[700] Missing seed parameter");
        JsonNode ok = ca.call(CaTask.REGISTER, params().put("seed", TestCa.SEED).put("cn", "node-1.example.com")
                .put("profile", "edge"));
        assertThat(ok.get("dn").asText()).isEqualTo("/CN=node-1.example.com");
        assertThat(ok.has("private_key")).isFalse();
        assertThat(cert(ok).getSerialNumber()).isEqualTo(ok.get("serial").bigIntegerValue());
    }

    @Test
    void unknownTaskAndRegistrationOnlyTasks() {
        assertThat(rejected(CaTask.STATUS, params()).getMessage()).isEqualTo("[700] Unknown task: status");
        String reply = ca.sendRaw("{\"TASK\": \"bogus\"}".getBytes());
        assertThat(reply).isEqualTo("{\"EVENT\":\"UPKI ERROR\",\"MSG\":\"[700] Unknown task: bogus\"}");
        assertThat(ca.sendRaw("{\"params\": {}}".getBytes())).contains("[700] Unknown task: \"");
    }

    @Test
    void caDownIsReportedAsUnavailable() {
        try (var client = new io.upki.pki.caclient.ZmqCaClient("tcp://127.0.0.1:1",
                t -> java.time.Duration.ofMillis(300), 1, new io.upki.pki.wire.WireCodec())) {
            assertThatThrownBy(() -> client.call(CaTask.GET_CA, params()))
                    .isInstanceOfSatisfying(CaClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(CaClientException.Kind.UNAVAILABLE));
        }
    }

    @Test
    void adminRoleIsWrittenByTheCaOnlyForTheAdminProfile() throws Exception {
        var adminRole = io.upki.pki.x509.UpkiRole.ADMIN;
        X509Certificate admin = cert(ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=role-admin")).put("profile", "admin")));
        assertThat(adminRole.heldBy(admin)).isTrue();
        X509Certificate user = cert(ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=role-user")).put("profile", "user")));
        assertThat(adminRole.heldBy(user)).isFalse();
        assertThat(user.getExtensionValue("2.5.29.32")).isNull();
        // A CSR asking for the admin policy under another profile does not get it: only SANs are copied.
        var keys = TestKeys.ec256();
        var ext = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
        ext.addExtension(org.bouncycastle.asn1.x509.Extension.certificatePolicies, false,
                new org.bouncycastle.asn1.x509.CertificatePolicies(
                        new org.bouncycastle.asn1.x509.PolicyInformation(new org.bouncycastle.asn1.ASN1ObjectIdentifier("2.5.29.32.0"),
                        new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.x509.PolicyQualifierInfo(adminRole.urn())))));
        var builder = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=sneaky"), keys.getPublic());
        builder.addAttribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        String csr = Pem.encode(builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                .build(keys.getPrivate())));
        X509Certificate sneaky = cert(ca.call(CaTask.SIGN, params().put("csr", csr).put("profile", "user")));
        assertThat(adminRole.heldBy(sneaky)).isFalse();
        // The admin role is not part of get_profile: uPKI's document stays exact.
        assertThat(ca.call(CaTask.GET_PROFILE, params().put("profile", "admin")).has("role")).isFalse();
    }

    @Test
    void proxyProfileGivesTheProxyRoleWithClientAuthOnly() throws Exception {
        X509Certificate proxy = cert(ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr("CN=edge-proxy")).put("profile", "proxy")));
        assertThat(io.upki.pki.x509.UpkiRole.PROXY.heldBy(proxy)).isTrue();
        assertThat(io.upki.pki.x509.UpkiRole.ADMIN.heldBy(proxy)).isFalse();
        assertThat(proxy.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(proxy.getBasicConstraints()).isEqualTo(-1);
        assertThat(proxy.getPublicKey().getAlgorithm()).isEqualTo("EC");
        JsonNode profile = ca.call(CaTask.GET_PROFILE, params().put("profile", "proxy"));
        assertThat(profile.get("keyType").asText()).isEqualTo("ec");
        assertThat(profile.get("duration").asInt()).isEqualTo(60);
        assertThat(profile.get("extendedKeyUsage").toString()).isEqualTo("[\"clientAuth\"]");
        // No other profile writes the proxy role, whatever the CSR asks for.
        for (String other : List.of("user", "admin", "server", "webapp")) {
            X509Certificate c = cert(ca.call(CaTask.SIGN, params().put("csr", TestKeys.csr(TestKeys.ec256(),
                    "CN=not-proxy-" + other, List.of("x.example"))).put("profile", other)));
            assertThat(io.upki.pki.x509.UpkiRole.PROXY.heldBy(c)).as(other).isFalse();
        }
    }

    @Test
    void sidecarProfileGivesAnAssertionSignerWithoutEku() throws Exception {
        JsonNode data = ca.call(CaTask.REGISTER, params().put("seed", TestCa.SEED).put("cn", "sidecar-1").put("profile", "sidecar"));
        X509Certificate cert = cert(data);
        assertThat(io.upki.pki.x509.UpkiRole.ASSERTION_SIGNER.heldBy(cert)).isTrue();
        assertThat(io.upki.pki.x509.UpkiRole.ADMIN.heldBy(cert)).isFalse();
        assertThat(cert.getExtendedKeyUsage()).isNull();
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }
}
