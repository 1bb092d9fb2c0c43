package io.upki.ca.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.Pem;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State that must survive a clean restart: certificates, revocations with reasons and dates, admins, CRL numbers. */
class RestartPersistenceTest {
    @TempDir
    Path dir;

    @Test
    void everythingSurvivesARestart() throws Exception {
        TestCa.initialize(dir, "ec");
        BigInteger serial;
        String revokeDate;
        BigInteger crlNumber;
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            serial = ca.call(CaTask.SIGN, CaClient.params().put("csr", TestKeys.csr("CN=persist.example.internal"))
                    .put("profile", "admin")).get("serial").bigIntegerValue();
            ca.call(CaTask.REVOKE, CaClient.params().put("dn", "persist.example.internal").put("reason", "certificateHold"));
            ca.call(CaTask.ADD_ADMIN, CaClient.params().put("dn", "/CN=root-admin"));
            revokeDate = ca.call(CaTask.VIEW, CaClient.params().put("serial", serial)).get("revoke_date").asText();
            crlNumber = number(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
        }
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            var view = ca.call(CaTask.VIEW, CaClient.params().put("serial", serial));
            assertThat(view.get("is_revoked").asBoolean()).isTrue();
            assertThat(view.get("revoke_reason").asText()).isEqualTo("certificateHold");
            assertThat(view.get("revoke_date").asText()).isEqualTo(revokeDate);
            assertThat(ca.client().listAdmins()).containsExactly("/CN=root-admin");
            // get_crl serves the stored CRL, and the next one continues the sequence.
            assertThat(number(ca.call(CaTask.GET_CRL, CaClient.params()).asText())).isEqualTo(crlNumber);
            assertThat(number(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText())).isEqualTo(crlNumber.add(BigInteger.ONE));
            // The hold can still be lifted after the restart.
            assertThat(ca.call(CaTask.UNREVOKE, CaClient.params().put("serial", serial)).asBoolean()).isTrue();
        }
    }

    @Test
    void aCrlWhoseBodyWasLostIsReplacedByANewerOneNeverByTheSameNumber() throws Exception {
        TestCa.initialize(dir, "ec");
        BigInteger handedOut;
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            ca.call(CaTask.GENERATE_CRL, CaClient.params());
            handedOut = number(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
        }
        // As after a kill -9 between the reply and the body write: the number is reserved, the file is not there.
        Path body = dir.resolve("crl").resolve(handedOut.toString(16) + ".der");
        assertThat(body).exists();
        java.nio.file.Files.delete(body);
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            assertThat(number(ca.call(CaTask.GET_CRL, CaClient.params()).asText())).isEqualTo(handedOut.add(BigInteger.ONE));
        }
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            // Stored on the clean shutdown above: the same CRL again.
            assertThat(number(ca.call(CaTask.GET_CRL, CaClient.params()).asText())).isEqualTo(handedOut.add(BigInteger.ONE));
            assertThat(java.nio.file.Files.list(dir.resolve("crl")).toList())
                    .containsExactly(dir.resolve("crl").resolve(handedOut.add(BigInteger.ONE).toString(16) + ".der"));
        }
    }

    /**
     * An RSA CA makes the TBS durable while it signs and stores the signed certificate with a commit
     * that does not wait for the disk (SigningStore). This undoes that commit, as a power loss right
     * after the reply could, and shows the restarted CA signs the TBS again into the same certificate.
     */
    @Test
    void anRsaCertificateWhoseFinalWriteWasLostIsRestoredByteForByte() throws Exception {
        TestCa.initialize(dir, "rsa");
        Map<BigInteger, String> handedOut = new LinkedHashMap<>();
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            JsonNode signed = ca.call(CaTask.SIGN, CaClient.params().put("csr", TestKeys.csr("CN=lost.example.internal"))
                    .put("profile", "server"));
            handedOut.put(signed.get("serial").bigIntegerValue(), signed.get("certificate").asText());
            JsonNode generated = ca.call(CaTask.GENERATE, CaClient.params().put("cn", "lost-admin").put("profile", "admin"));
            handedOut.put(generated.get("serial").bigIntegerValue(), generated.get("certificate").asText());
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("upki.db"))) {
            // A reservation is dropped with the next durable write after its certificate is stored: of
            // the two signs above, at most the last one's is left.
            assertThat(count(db, "issuing")).isLessThanOrEqualTo(1);
            try (Statement s = db.createStatement()) {
                s.executeUpdate("DELETE FROM issuing");
            }
            for (BigInteger serial : handedOut.keySet()) {
                undoFinalWrite(db, serial);
            }
            assertThat(count(db, "issuing")).isEqualTo(2);
        }
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            for (Map.Entry<BigInteger, String> e : handedOut.entrySet()) {
                JsonNode view = ca.call(CaTask.VIEW, CaClient.params().put("serial", e.getKey()));
                assertThat(view.get("fingerprint").asText()).as("restored %s", e.getKey().toString(16))
                        .isEqualTo(CertificateFacts.sha256Fingerprint(Pem.parseCertificate(e.getValue()).getEncoded()));
            }
            // The restored certificate is a full member of the store: it can be revoked and renewed.
            BigInteger generated = List.copyOf(handedOut.keySet()).get(1);
            ca.call(CaTask.REVOKE, CaClient.params().put("serial", generated).put("reason", "superseded"));
            assertThat(ca.call(CaTask.VIEW, CaClient.params().put("serial", generated)).get("is_revoked").asBoolean()).isTrue();
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("upki.db"))) {
            assertThat(count(db, "issuing")).as("reservations are dropped once restored").isZero();
        }
    }

    /** Back to the state right after the durable reservation: TBS in {@code issuing}, no certificate row. */
    private static void undoFinalWrite(Connection db, BigInteger serial) throws Exception {
        String key = String.format("%040x", serial);
        try (PreparedStatement read = db.prepareStatement(
                "SELECT der, profile, key_file, issued_at FROM certificates WHERE serial = ?")) {
            read.setString(1, key);
            try (ResultSet rs = read.executeQuery()) {
                assertThat(rs.next()).as("certificate %s stored", key).isTrue();
                byte[] tbs = org.bouncycastle.asn1.x509.Certificate.getInstance(rs.getBytes(1)).getTBSCertificate()
                        .getEncoded(ASN1Encoding.DER);
                try (PreparedStatement put = db.prepareStatement(
                        "INSERT INTO issuing (serial, tbs, digest, profile, key_file, issued_at) VALUES (?,?,?,?,?,?)")) {
                    put.setString(1, key);
                    put.setBytes(2, tbs);
                    put.setString(3, "sha256");
                    put.setString(4, rs.getString(2));
                    put.setString(5, rs.getString(3));
                    put.setLong(6, rs.getLong(4));
                    put.executeUpdate();
                }
            }
        }
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM certificates WHERE serial = ?")) {
            delete.setString(1, key);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
    }

    private static long count(Connection db, String table) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static BigInteger number(String base64) throws Exception {
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        return org.bouncycastle.asn1.ASN1Integer.getInstance(org.bouncycastle.asn1.ASN1OctetString
                .getInstance(crl.getExtensionValue("2.5.29.20")).getOctets()).getValue();
    }
}
