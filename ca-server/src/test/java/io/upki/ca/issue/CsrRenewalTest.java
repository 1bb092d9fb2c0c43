package io.upki.ca.issue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.testing.CaFixture;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.testkit.clock.MutableClock;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code renew_csr} through a real CA on ZeroMQ: one task that keeps subject, names and profile. */
class CsrRenewalTest {
    static final MutableClock CLOCK = new MutableClock();

    @RegisterExtension
    static final CaFixture ca = CaFixture.ec().clock(CLOCK);

    static BigInteger issue(String cn, String profile, List<String> dns) {
        return ca.call(CaTask.SIGN, CaClient.params().put("csr", TestKeys.csr(TestKeys.ec256(), "CN=" + cn, dns))
                .put("profile", profile)).get("serial").bigIntegerValue();
    }

    static ObjectNode renewal(BigInteger serial, String csr) {
        ObjectNode p = CaClient.params().put("csr", csr);
        p.put("serial", serial);
        return p;
    }

    @Test
    void renewsWithTheNewKeyAndTheOldSubjectNamesAndProfileThenSupersedesTheOld() {
        BigInteger old = issue("node-r.example.internal", "webapp", List.of("node-r.example.internal", "alias.example.internal"));
        KeyPair fresh = TestKeys.ec256();
        JsonNode data = ca.call(CaTask.RENEW_CSR, renewal(old, TestKeys.csr(fresh, "CN=node-r.example.internal",
                List.of("ALIAS.example.internal", "node-r.example.internal"))));
        X509Certificate cert = Pem.parseCertificate(data.get("certificate").asText());
        assertThat(cert.getPublicKey().getEncoded()).isEqualTo(fresh.getPublic().getEncoded());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=node-r.example.internal");
        assertThat(ca.call(CaTask.VIEW, CaClient.params().put("serial", data.get("serial").bigIntegerValue()))
                .get("profile").asText()).isEqualTo("webapp");
        JsonNode oldView = ca.call(CaTask.VIEW, CaClient.params().put("serial", old));
        assertThat(oldView.get("revoke_reason").asText()).isEqualTo("superseded");
        // The superseded certificate cannot be renewed a second time.
        assertThat(ca.rejected(CaTask.RENEW_CSR, renewal(old, TestKeys.csr(TestKeys.ec256(), "CN=node-r.example.internal", List.of()))))
                .isEqualTo("[900] Certificate " + old.toString(16) + " is revoked (superseded) and cannot be renewed");
    }

    @Test
    void moreOrOtherNamesOrAnotherSubjectIssueNothing() {
        BigInteger old = issue("client-r.example.internal", "user", List.of());
        int before = ca.call(CaTask.LIST_NODES, CaClient.params()).size();
        assertThat(ca.rejected(CaTask.RENEW_CSR, renewal(old, TestKeys.csr(TestKeys.ec256(), "CN=client-r.example.internal",
                List.of("upki-ra", "*.example.internal")))))
                .isEqualTo("[300] CSR SANs must be those of the certificate being renewed; not in it: [DNS:*.example.internal, DNS:upki-ra]");
        assertThat(ca.rejected(CaTask.RENEW_CSR, renewal(old, TestKeys.csr(TestKeys.ec256(), "CN=upki-ra", List.of()))))
                .isEqualTo("[300] CSR subject /CN=upki-ra is not the subject of the certificate being renewed: /CN=client-r.example.internal");
        assertThat(ca.rejected(CaTask.RENEW_CSR, renewal(old, TestKeys.csr(TestKeys.ec256(), "CN=client-r.example.internal,O=Company", List.of()))))
                .startsWith("[300] CSR subject ");
        assertThat(ca.call(CaTask.LIST_NODES, CaClient.params()).size()).isEqualTo(before);
        assertThat(ca.call(CaTask.VIEW, CaClient.params().put("serial", old)).get("is_revoked").asBoolean()).isFalse();
    }

    @Test
    void fewerNamesThanTheCertificateAreRefusedToo() {
        BigInteger old = issue("two.example.internal", "server", List.of("two.example.internal", "b.example.internal"));
        assertThat(ca.rejected(CaTask.RENEW_CSR, renewal(old, TestKeys.csr(TestKeys.ec256(), "CN=two.example.internal",
                List.of("two.example.internal"))))).endsWith("; missing: [DNS:b.example.internal]");
    }

    @Test
    void revokedExpiredUnknownAndWeakRequestsAreRefused() {
        BigInteger revoked = issue("gone.example.internal", "user", List.of());
        ca.call(CaTask.REVOKE, CaClient.params().put("dn", "gone.example.internal").put("reason", "keyCompromise"));
        assertThat(ca.rejected(CaTask.RENEW_CSR, renewal(revoked, TestKeys.csr(TestKeys.ec256(), "CN=gone.example.internal", List.of()))))
                .isEqualTo("[900] Certificate " + revoked.toString(16) + " is revoked (keyCompromise) and cannot be renewed");
        assertThat(ca.rejected(CaTask.RENEW_CSR, renewal(BigInteger.valueOf(12345), TestKeys.csr("CN=nobody")))).startsWith("[300] Certificate not found");
        BigInteger weak = issue("weak.example.internal", "user", List.of());
        assertThat(ca.rejected(CaTask.RENEW_CSR, renewal(weak, TestKeys.csr(TestKeys.rsa(1024), "CN=weak.example.internal", List.of()))))
                .startsWith("[400] Key length 1024");
        assertThat(ca.rejected(CaTask.RENEW_CSR, CaClient.params().put("dn", "weak.example.internal"))).isEqualTo("[700] Missing csr parameter");
    }

    @Test
    void anExpiredCertificateCannotBeRenewed() {
        BigInteger old = issue("late.example.internal", "user", List.of());
        CLOCK.advance(Duration.ofDays(31));
        try {
            assertThat(ca.rejected(CaTask.RENEW_CSR, renewal(old, TestKeys.csr(TestKeys.ec256(), "CN=late.example.internal", List.of()))))
                    .isEqualTo("[300] Certificate " + old.toString(16) + " is not valid now and cannot be renewed");
        } finally {
            CLOCK.advance(Duration.ofDays(-31));
        }
    }
}
