package io.upki.ca.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.ca.testing.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
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

    static BigInteger number(String base64) throws Exception {
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        return org.bouncycastle.asn1.ASN1Integer.getInstance(org.bouncycastle.asn1.ASN1OctetString
                .getInstance(crl.getExtensionValue("2.5.29.20")).getOctets()).getValue();
    }
}
