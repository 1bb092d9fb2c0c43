package io.upki.ca.crl;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestCrls;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRL built from the CA's in-memory entry list lists exactly what the store holds: before and after
 * revocations, after a hold is lifted, and after a restart that rebuilds the list from the store.
 */
class CrlEntriesTest {
    @TempDir
    Path dir;

    @Test
    void entriesFollowTheStoreAcrossRevocationsHoldsAndRestarts() throws Exception {
        TestCa.initialize(dir, "ec");
        Map<BigInteger, Optional<CRLReason>> expected = new HashMap<>();
        BigInteger held;
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            X509CRL empty = TestCrls.parse(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
            // RFC 5280 section 5.1.2.6: no revokedCertificates field at all when nothing is revoked.
            assertThat(empty.getRevokedCertificates()).isNull();
            empty.verify(caCertificate(ca).getPublicKey());

            String[] reasons = {"keyCompromise", "unspecified", "superseded", "cessationOfOperation", "certificateHold"};
            BigInteger last = null;
            for (int i = 0; i < reasons.length; i++) {
                BigInteger serial = sign(ca, "crl-entry-" + i + ".example.internal");
                ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", reasons[i]));
                // unspecified is written without a reasonCode (RFC 5280 section 5.3.1), which reads as absent.
                expected.put(serial, reasons[i].equals("unspecified") ? Optional.empty()
                        : Optional.of(CRLReason.valueOf(toEnum(reasons[i]))));
                last = serial;
            }
            sign(ca, "crl-entry-valid.example.internal");
            held = last;
            assertEntries(ca, expected);
            ca.call(CaTask.UNREVOKE, CaClient.params().put("serial", held));
            expected.remove(held);
            assertEntries(ca, expected);
        }
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            assertEntries(ca, expected);
            BigInteger after = sign(ca, "crl-entry-after-restart.example.internal");
            ca.call(CaTask.REVOKE, CaClient.params().put("serial", after).put("reason", "affiliationChanged"));
            expected.put(after, Optional.of(CRLReason.AFFILIATION_CHANGED));
            assertEntries(ca, expected);
        }
    }

    private static BigInteger sign(TestCa ca, String cn) {
        return ca.client().sign(TestKeys.csr("CN=" + cn), "user").get("serial").bigIntegerValue();
    }

    private static X509Certificate caCertificate(TestCa ca) {
        return Pem.parseCertificate(ca.client().getCaPem());
    }

    private static String toEnum(String wireName) {
        return wireName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    private static void assertEntries(TestCa ca, Map<BigInteger, Optional<CRLReason>> expected) throws Exception {
        X509CRL crl = TestCrls.parse(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
        crl.verify(caCertificate(ca).getPublicKey());
        Map<BigInteger, Optional<CRLReason>> listed = new HashMap<>();
        for (X509CRLEntry e : crl.getRevokedCertificates()) {
            listed.put(e.getSerialNumber(), Optional.ofNullable(e.getRevocationReason()));
            assertThat(e.getRevocationDate()).isNotNull();
        }
        assertThat(listed).isEqualTo(expected);
    }
}
