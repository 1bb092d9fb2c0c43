package io.upki.ca.crl;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestCrls;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate_delta_crl}: each CRL after the first comes with a delta CRL of the same number that
 * lists exactly what was revoked since its base, carries a critical Delta CRL Indicator (RFC 5280 section
 * 5.2.4) and, applied to the base, gives what the complete CRL lists; a lifted hold starts a new base.
 */
class DeltaCrlIssueTest {
    @TempDir
    Path dir;

    @Test
    void deltasListWhatWasRevokedSinceTheirBase() throws Exception {
        TestCa.initialize(dir, "ec");
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            X509Certificate caCert = Pem.parseCertificate(ca.client().getCaPem());
            BigInteger before = revoke(ca, sign(ca, "delta-before"), "keyCompromise");

            JsonNode first = ca.call(CaTask.GENERATE_DELTA_CRL, CaClient.params());
            assertThat(first.has("delta")).as("the first CRL is a base").isFalse();
            BigInteger base = first.get("number").bigIntegerValue();
            byte[] baseDer = java.util.Base64.getDecoder().decode(ca.call(CaTask.GET_CRL, CaClient.params()).asText());
            assertThat(TestCrls.number(TestCrls.parse(baseDer))).isEqualTo(base);

            BigInteger x = revoke(ca, sign(ca, "delta-x"), "keyCompromise");
            JsonNode second = ca.call(CaTask.GENERATE_DELTA_CRL, CaClient.params());
            X509CRL delta2 = TestCrls.parse(second.get("delta").asText());
            delta2.verify(caCert.getPublicKey());
            assertThat(second.get("base").bigIntegerValue()).isEqualTo(base);
            assertThat(TestCrls.number(delta2)).isEqualTo(second.get("number").bigIntegerValue()).isGreaterThan(base);
            assertThat(delta2.getCriticalExtensionOIDs()).contains(Extension.deltaCRLIndicator.getId());
            assertThat(baseNumber(delta2)).isEqualTo(base);
            assertThat(serials(delta2)).containsExactly(x);

            // get_delta_crl: the same delta again, signing nothing.
            JsonNode again = ca.call(CaTask.GET_DELTA_CRL, CaClient.params());
            assertThat(again.get("number")).isEqualTo(second.get("number"));
            assertThat(again.get("delta")).isEqualTo(second.get("delta"));

            BigInteger y = revoke(ca, sign(ca, "delta-y"), "superseded");
            JsonNode third = ca.call(CaTask.GENERATE_DELTA_CRL, CaClient.params());
            byte[] delta3 = java.util.Base64.getDecoder().decode(third.get("delta").asText());
            assertThat(serials(TestCrls.parse(delta3))).containsExactlyInAnyOrder(x, y);
            X509CRL complete3 = TestCrls.parse(ca.call(CaTask.GET_CRL, CaClient.params()).asText());
            assertThat(TestCrls.number(complete3)).isEqualTo(third.get("number").bigIntegerValue());

            // A relying party holding only the base, given delta 3, holds what complete CRL 3 lists.
            CrlAcceptor acceptor = new CrlAcceptor(List.of(caCert), Clock.systemUTC(), Duration.ZERO);
            RevocationIndex held = RevocationIndex.empty().with(acceptor.accept(baseDer, RevocationIndex.empty()));
            CrlSnapshot applied = acceptor.acceptDelta(delta3, held);
            assertThat(Set.copyOf(applied.revokedSerials())).isEqualTo(serials(complete3))
                    .containsExactlyInAnyOrder(before, x, y);

            // A lifted hold cannot be said in a delta (upki issues no removeFromCRL): a new base instead.
            BigInteger held1 = revoke(ca, sign(ca, "delta-hold"), "certificateHold");
            assertThat(ca.call(CaTask.GENERATE_DELTA_CRL, CaClient.params()).has("delta")).isTrue();
            ca.call(CaTask.UNREVOKE, CaClient.params().put("serial", held1));
            JsonNode rebased = ca.call(CaTask.GENERATE_DELTA_CRL, CaClient.params());
            assertThat(rebased.has("delta")).isFalse();
            BigInteger z = revoke(ca, sign(ca, "delta-z"), "keyCompromise");
            JsonNode afterRebase = ca.call(CaTask.GENERATE_DELTA_CRL, CaClient.params());
            assertThat(afterRebase.get("base").bigIntegerValue()).isEqualTo(rebased.get("number").bigIntegerValue());
            assertThat(serials(TestCrls.parse(afterRebase.get("delta").asText()))).containsExactly(z);

            // generate_crl (uPKI's task) moves the same sequence on and keeps the delta chain.
            BigInteger w = revoke(ca, sign(ca, "delta-w"), "keyCompromise");
            BigInteger signedForOthers = TestCrls.number(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
            JsonNode withIt = ca.call(CaTask.GET_DELTA_CRL, CaClient.params());
            assertThat(withIt.get("number").bigIntegerValue()).isEqualTo(signedForOthers);
            assertThat(serials(TestCrls.parse(withIt.get("delta").asText()))).containsExactlyInAnyOrder(z, w);
            JsonNode next = ca.call(CaTask.GENERATE_DELTA_CRL, CaClient.params());
            assertThat(serials(TestCrls.parse(next.get("delta").asText()))).containsExactlyInAnyOrder(z, w);
        }
    }

    @Test
    void eachDeltaGoesOutOnTheEventFeedBeforeItsCompleteCrl() throws Exception {
        TestCa.initialize(dir, "ec");
        try (TestCa ca = TestCa.open(dir, Duration.ofDays(7), null, Clock.systemUTC())) {
            java.util.concurrent.LinkedBlockingQueue<io.upki.pki.wire.CaEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
            try (io.upki.pki.caclient.CaEventSubscriber feed = new io.upki.pki.caclient.CaEventSubscriber(ca.eventsEndpoint(),
                    io.upki.pki.caclient.CaCurve.NONE, new io.upki.pki.wire.WireCodec(), events::add)) {
                feed.start("delta-feed-test");
                ca.call(CaTask.GENERATE_DELTA_CRL, CaClient.params()); // the base
                // Connected once the once-a-second heartbeat is heard (PUB drops what no one hears).
                assertThat(events.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
                revoke(ca, sign(ca, "delta-feed"), "keyCompromise");
                JsonNode answer = ca.call(CaTask.GENERATE_DELTA_CRL, CaClient.params());
                BigInteger number = answer.get("number").bigIntegerValue();

                List<String> seen = new java.util.ArrayList<>();
                io.upki.pki.wire.CaEvent delta = null;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!seen.contains("crl " + number)) {
                    assertThat(System.nanoTime()).as("the crl event of CRL %s", number).isLessThan(deadline);
                    io.upki.pki.wire.CaEvent e = events.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (e != null && number.equals(e.number())) {
                        seen.add(e.event() + " " + e.number());
                        delta = io.upki.pki.wire.CaEvent.DELTA.equals(e.event()) ? e : delta;
                    }
                }
                assertThat(seen).containsExactly("delta " + number, "crl " + number);
                assertThat(delta.base()).isEqualTo(answer.get("base").bigIntegerValue());
                assertThat(delta.delta()).isEqualTo(answer.get("delta").asText());
            }
        }
    }

    private static BigInteger sign(TestCa ca, String cn) {
        return ca.client().sign(TestKeys.csr("CN=" + cn + ".example.internal"), "user").get("serial").bigIntegerValue();
    }

    private static BigInteger revoke(TestCa ca, BigInteger serial, String reason) {
        ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", reason));
        return serial;
    }

    private static Set<BigInteger> serials(X509CRL crl) {
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        return entries == null ? Set.of() : entries.stream().map(X509CRLEntry::getSerialNumber).collect(Collectors.toSet());
    }

    private static BigInteger baseNumber(X509CRL crl) throws Exception {
        byte[] ext = crl.getExtensionValue(Extension.deltaCRLIndicator.getId());
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getValue();
    }
}
