package io.upki.ca.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.ca.testing.CaFixture;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.CertificateId;
import io.upki.pki.caclient.RevocationRequest;
import io.upki.pki.caclient.SignRequest;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.CertificatePage;
import io.upki.pki.wire.NodeQuery;
import io.upki.pki.wire.NodeRecord;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code list_nodes} with a {@code filter} (text, CN, profile, state, expiry; paged with a total) and the
 * NOT_FOUND code, through the typed client over real ZeroMQ; the plain uPKI form keeps its list answer.
 */
class ListNodesFilterTest {
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec();
    static TypedCaClient client;
    static BigInteger alpha;
    static BigInteger beta;
    static BigInteger user;

    @BeforeAll
    static void start() throws Exception {
        client = new TypedCaClient(ca.client());
        alpha = client.sign(new SignRequest(TestKeys.csr("CN=alpha.example.com"), "server")).serial();
        beta = client.sign(new SignRequest(TestKeys.csr("CN=beta_100%.example.com"), "server")).serial();
        user = client.sign(new SignRequest(TestKeys.csr("CN=Carol"), "user")).serial();
        client.revoke(new RevocationRequest(CertificateId.serial(beta), "keyCompromise"));
    }

    private static NodeQuery query(String text, String cn, String profile, String state, Instant before) {
        return new NodeQuery(text, cn, profile, state, before, 0, 100);
    }

    private static java.util.List<BigInteger> serials(CertificatePage page) {
        return page.items().stream().map(NodeRecord::serial).toList();
    }

    @Test
    void plainListNodesStillAnswersAList() {
        assertThat(ca.call(CaTask.LIST_NODES, CaClient.params()).isArray()).isTrue();
        assertThat(client.nodes()).extracting(NodeRecord::serial).contains(alpha, beta, user);
    }

    @Test
    void textMatchesCnAndDnWithoutCaseAndSerialsExactly() {
        assertThat(serials(client.nodes(query("ALPHA", null, null, null, null)))).containsExactly(alpha);
        assertThat(serials(client.nodes(query("carol", null, null, null, null)))).containsExactly(user);
        assertThat(serials(client.nodes(query(alpha.toString(), null, null, null, null)))).containsExactly(alpha);
        assertThat(serials(client.nodes(query("0x" + beta.toString(16), null, null, null, null)))).containsExactly(beta);
        // LIKE wildcards in the text are literal characters.
        assertThat(serials(client.nodes(query("_100%", null, null, null, null)))).containsExactly(beta);
        assertThat(serials(client.nodes(query("a%a", null, null, null, null)))).isEmpty();
    }

    @Test
    void cnProfileStateAndExpiryFilter() {
        assertThat(serials(client.nodes(query(null, "alpha.example.com", null, null, null)))).containsExactly(alpha);
        assertThat(serials(client.nodes(query(null, null, "user", null, null)))).containsExactly(user);
        assertThat(serials(client.nodes(query(null, null, "server", "revoked", null)))).containsExactly(beta);
        assertThat(serials(client.nodes(query(null, null, "server", "valid", null)))).containsExactly(alpha);
        assertThat(serials(client.nodes(query(null, null, null, "expired", null)))).isEmpty();
        assertThat(serials(client.nodes(query(null, null, null, null, Instant.now())))).isEmpty();
        assertThat(serials(client.nodes(query(null, null, "server", null, Instant.now().plus(Duration.ofDays(3650))))))
                .containsExactly(alpha, beta);
    }

    @Test
    void pagesCountEveryMatch() {
        CertificatePage first = client.nodes(new NodeQuery("example.com", null, null, null, null, 0, 1));
        CertificatePage second = client.nodes(new NodeQuery("example.com", null, null, null, null, 1, 1));

        assertThat(first.total()).isEqualTo(2);
        assertThat(serials(first)).containsExactly(alpha);
        assertThat(first.hasMore()).isTrue();
        assertThat(serials(second)).containsExactly(beta);
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void badFilterIsRefusedWithAReason() {
        var bad = CaClient.params();
        bad.putObject("filter").put("state", "sleeping");
        assertThatThrownBy(() -> ca.call(CaTask.LIST_NODES, bad)).isInstanceOf(CaClientException.class)
                .hasMessage("[200] filter: state must be one of [valid, revoked, expired]");
        var notObject = CaClient.params().put("filter", "x");
        assertThatThrownBy(() -> ca.call(CaTask.LIST_NODES, notObject)).hasMessage("[200] Parameter filter must be an object");
        var badTime = CaClient.params();
        badTime.putObject("filter").put("expiring_before", "tomorrow");
        assertThatThrownBy(() -> ca.call(CaTask.LIST_NODES, badTime))
                .hasMessage("[200] Parameter expiring_before must be an ISO 8601 time with an offset");
    }

    @Test
    void unknownCertificateIsNotFoundByCodeWithUpkisMessage() {
        CaClientException bySerial = org.junit.jupiter.api.Assertions.assertThrows(CaClientException.class,
                () -> client.view(CertificateId.serial(BigInteger.valueOf(12345))));
        CaClientException byDn = org.junit.jupiter.api.Assertions.assertThrows(CaClientException.class,
                () -> client.revoke(new RevocationRequest(CertificateId.dn("nobody.example.com"), null)));

        assertThat(bySerial.code()).isEqualTo(CaErrorCode.NOT_FOUND);
        assertThat(bySerial.getMessage()).isEqualTo("[300] Certificate not found: serial 12345");
        assertThat(byDn.code()).isEqualTo(CaErrorCode.NOT_FOUND);
        assertThat(byDn.getMessage()).isEqualTo("[300] Certificate not found: nobody.example.com");
    }

    @Test
    void notFoundTravelsAsCodeBesideUpkisMsg() {
        String reply = ca.sendRaw(ca.opsEndpoint(),
                "{\"TASK\":\"view\",\"params\":{\"serial\":777}}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Duration.ofSeconds(5));
        assertThat(reply).isEqualTo("{\"EVENT\":\"UPKI ERROR\",\"MSG\":\"[300] Certificate not found: serial 777\",\"CODE\":1100}");
    }
}
