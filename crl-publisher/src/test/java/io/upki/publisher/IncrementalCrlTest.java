package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CRL accepted after its predecessor (only the new entries are read) lists exactly what the same CRL
 * read on its own lists, through a real CA's successive CRLs: appended revocations and a certificate
 * taken off hold in the middle of the list.
 */
class IncrementalCrlTest {
    @TempDir
    Path dir;

    @Test
    void successiveCrlsGiveTheSameSerialsAsAFullRead() throws Exception {
        try (TestCa ca = TestCa.start(dir.resolve("ca"))) {
            X509Certificate caCert = Pem.parseCertificate(ca.call(CaTask.GET_CA, CaClient.params()).asText());
            CrlAcceptor acceptor = new CrlAcceptor(List.of(caCert), Clock.systemUTC(), Duration.ZERO);
            List<BigInteger> serials = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String pem = ca.client().sign(TestKeys.csr("CN=incremental-" + i + ".example"), "server")
                        .get("certificate").asText();
                serials.add(Pem.parseCertificate(pem).getSerialNumber());
            }
            revoke(ca, serials.get(0), "keyCompromise");
            revoke(ca, serials.get(1), "certificateHold");
            revoke(ca, serials.get(2), "superseded");
            RevocationIndex index = RevocationIndex.empty();
            index = acceptBoth(acceptor, index, ca.client().generateCrl(), serials.subList(0, 3));

            // Appended: one more revocation.
            revoke(ca, serials.get(3), "cessationOfOperation");
            index = acceptBoth(acceptor, index, ca.client().generateCrl(), serials.subList(0, 4));

            // Taken off hold: an entry leaves the middle of the list, so the old prefix no longer matches.
            ca.call(CaTask.UNREVOKE, CaClient.params().put("serial", serials.get(1)));
            index = acceptBoth(acceptor, index, ca.client().generateCrl(),
                    List.of(serials.get(0), serials.get(2), serials.get(3)));

            // And appended again after that.
            revoke(ca, serials.get(4), "affiliationChanged");
            revoke(ca, serials.get(5), "keyCompromise");
            CrlSnapshot last = acceptBoth(acceptor, index, ca.client().generateCrl(),
                    List.of(serials.get(0), serials.get(2), serials.get(3), serials.get(4), serials.get(5)))
                    .snapshotFor(caCert);
            assertThat(last.revokes(serials.get(1))).isFalse();
            assertThat(last.revokes(serials.get(5))).isTrue();
        }
    }

    private static void revoke(TestCa ca, BigInteger serial, String reason) {
        ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", reason));
    }

    /** Accepts {@code der} after the index's CRL and on its own; both must list exactly {@code expected}. */
    private static RevocationIndex acceptBoth(CrlAcceptor acceptor, RevocationIndex index, byte[] der,
                                              List<BigInteger> expected) throws Exception {
        CrlSnapshot incremental = acceptor.accept(der, index);
        CrlSnapshot full = acceptor.accept(der, RevocationIndex.empty());
        assertThat(incremental.revokedSerials()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(full.revokedSerials()).containsExactlyInAnyOrderElementsOf(expected);
        return index.with(incremental);
    }
}
