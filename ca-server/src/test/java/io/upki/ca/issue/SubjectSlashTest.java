package io.upki.ca.issue;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.CaFixture;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A '/' in a subject attribute makes the slash-form DN ambiguous ({@code /CN=a/O=b} is one CN or a CN
 * and an O): every issuance path refuses it with a [200], through a real CA on ZeroMQ.
 */
class SubjectSlashTest {
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec();

    @Test
    void signRefusesASlashInTheCommonName() {
        // As the red team sent it: this CN's slash form reads as CN=victim plus O=Company.
        String csr = TestKeys.csr(TestKeys.ec256(), "CN=victim/O\\=Company", List.of());
        assertThat(ca.rejected(CaTask.SIGN, CaClient.params().put("csr", csr).put("profile", "admin")))
                .isEqualTo("[200] Subject attribute CN 'victim/O=Company' must not contain '/': its slash-form DN would be ambiguous");
    }

    @Test
    void signRefusesASlashInAnyOtherAttribute() {
        String csr = TestKeys.csr(TestKeys.ec256(), "CN=ok.example.internal,OU=a/CN\\=admin,O=Company", List.of());
        assertThat(ca.rejected(CaTask.SIGN, CaClient.params().put("csr", csr)))
                .isEqualTo("[200] Subject attribute OU 'a/CN=admin' must not contain '/': its slash-form DN would be ambiguous");
    }

    @Test
    void generateAndRegisterRefuseASlashInTheCn() {
        assertThat(ca.rejected(CaTask.GENERATE, CaClient.params().put("cn", "a/OU=Admins").put("profile", "server")))
                .startsWith("[200] Subject attribute CN 'a/OU=Admins' must not contain '/'");
        assertThat(ca.rejected(CaTask.REGISTER, CaClient.params().put("seed", TestCa.SEED).put("cn", "node/x")))
                .startsWith("[200] Subject attribute CN 'node/x' must not contain '/'");
        assertThat(ca.call(CaTask.LIST_NODES, CaClient.params()).size()).isZero();
    }

    @Test
    void aNameWithoutSlashStillSigns() {
        String csr = TestKeys.csr(TestKeys.ec256(), "CN=fine.example.internal,O=A-B Company", List.of());
        assertThat(ca.call(CaTask.SIGN, CaClient.params().put("csr", csr)).get("serial").isBigInteger()).isTrue();
    }
}
