package io.upki.pki.crl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.pki.crlfeed.CrlState;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta CRLs (RFC 5280 section 5.2.4) as relying parties take them: applied only on top of a held
 * complete CRL at or above their base, never mistaken for a complete CRL, and replaced by the complete
 * CRL of the same number when it comes.
 */
class DeltaCrlTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final BigInteger A = BigInteger.valueOf(0xA1);
    private static final BigInteger B = BigInteger.valueOf(0xB2);
    private static final BigInteger C = BigInteger.valueOf(0xC3);

    @TempDir
    Path dir;
    private TestCrlAuthority authority;
    private X509Certificate ca;
    private CrlAcceptor acceptor;

    @BeforeEach
    void setUp() throws Exception {
        authority = new TestCrlAuthority(NOW);
        ca = authority.certificate();
        acceptor = new CrlAcceptor(List.of(ca), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO);
    }

    private byte[] complete(long number, BigInteger... serials) throws Exception {
        return authority.complete(number, serials);
    }

    private byte[] delta(long number, long base, BigInteger... serials) throws Exception {
        return authority.delta(number, base, serials);
    }

    private static void assertRefused(CrlRejectedException.Reason reason,
                                      org.assertj.core.api.ThrowableAssert.ThrowingCallable offer) {
        assertThatThrownBy(offer).isInstanceOfSatisfying(CrlRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private RevocationIndex holding(byte[] completeDer) throws Exception {
        return RevocationIndex.empty().with(acceptor.accept(completeDer, RevocationIndex.empty()));
    }

    @Test
    void aDeltaAddsItsSerialsToTheHeldCompleteCrl() throws Exception {
        RevocationIndex held = holding(complete(5, A));

        CrlSnapshot applied = acceptor.acceptDelta(delta(6, 5, B), held);

        assertThat(applied.number()).isEqualTo(6);
        assertThat(applied.complete()).isFalse();
        assertThat(applied.revokes(A)).isTrue();
        assertThat(applied.revokes(B)).isTrue();
        assertThat(applied.revokes(C)).isFalse();
    }

    @Test
    void aDeltaAppliesToAnyHeldCrlAtOrAboveItsBase() throws Exception {
        RevocationIndex held = holding(complete(5, A));
        RevocationIndex afterSix = RevocationIndex.empty().with(acceptor.acceptDelta(delta(6, 5, B), held));

        // Deltas are cumulative since their base: 7 lists B again and C.
        CrlSnapshot seven = acceptor.acceptDelta(delta(7, 5, B, C), afterSix);

        assertThat(seven.revokedSerials()).containsExactlyInAnyOrder(A, B, C);
    }

    @Test
    void aDeltaOfferedAsACompleteCrlIsRefused() throws Exception {
        // The attack: serve the CA-signed delta (higher number, valid signature) where the complete CRL is
        // fetched. Taken as complete, it would forget A. RFC 5280 section 5.2.4 makes the indicator critical.
        RevocationIndex held = holding(complete(5, A));

        assertRefused(CrlRejectedException.Reason.UNSUPPORTED, () -> acceptor.accept(delta(6, 5, B), held));
    }

    @Test
    void aCompleteCrlOfferedAsADeltaIsRefused() throws Exception {
        RevocationIndex held = holding(complete(5, A));

        assertRefused(CrlRejectedException.Reason.UNSUPPORTED, () -> acceptor.acceptDelta(complete(6, B), held));
    }

    @Test
    void aDeltaWithANonCriticalIndicatorIsRefused() throws Exception {
        RevocationIndex held = holding(complete(5, A));
        byte[] lax = authority.crl(6, 5L, false, NOW.plusSeconds(3600), CRLReason.keyCompromise, B);

        assertRefused(CrlRejectedException.Reason.UNSUPPORTED, () -> acceptor.acceptDelta(lax, held));
    }

    @Test
    void aDeltaWithoutItsBaseIsNotApplied() throws Exception {
        assertRefused(CrlRejectedException.Reason.DELTA_BASE, () -> acceptor.acceptDelta(delta(6, 5, B), RevocationIndex.empty()));
        RevocationIndex older = holding(complete(4, A));
        assertRefused(CrlRejectedException.Reason.DELTA_BASE, () -> acceptor.acceptDelta(delta(6, 5, B), older));
    }

    @Test
    void aDeltaNotAboveTheHeldCrlIsRefused() throws Exception {
        RevocationIndex held = holding(complete(6, A));

        assertRefused(CrlRejectedException.Reason.OLDER_NUMBER, () -> acceptor.acceptDelta(delta(6, 5, B), held));
    }

    @Test
    void aDeltaSignedByAnotherKeyIsRefused() throws Exception {
        RevocationIndex held = holding(complete(5, A));
        byte[] forged = authority.forgedDelta(6, 5, B);

        assertRefused(CrlRejectedException.Reason.BAD_SIGNATURE, () -> acceptor.acceptDelta(forged, held));
    }

    @Test
    void anExpiredDeltaIsRefused() throws Exception {
        RevocationIndex held = holding(complete(5, A));
        byte[] stale = authority.crl(6, 5L, true, NOW.minusSeconds(1), CRLReason.keyCompromise, B);

        assertRefused(CrlRejectedException.Reason.EXPIRED, () -> acceptor.acceptDelta(stale, held));
    }

    @Test
    void aDeltaThatRemovesAnEntryIsRefused() throws Exception {
        RevocationIndex held = holding(complete(5, A));
        byte[] removal = authority.crl(6, 5L, true, NOW.plusSeconds(3600), CRLReason.removeFromCRL, A);

        assertRefused(CrlRejectedException.Reason.UNSUPPORTED, () -> acceptor.acceptDelta(removal, held));
    }

    @Test
    void theCompleteCrlOfTheDeltasNumberReplacesItAndAnOlderOneIsNotTaken() throws Exception {
        RevocationIndex held = holding(complete(5, A));
        RevocationIndex afterDelta = RevocationIndex.empty().with(acceptor.acceptDelta(delta(6, 5, B), held));

        CrlSnapshot six = acceptor.accept(complete(6, A, B), afterDelta);
        assertThat(six.complete()).isTrue();
        assertThat(six.revokedSerials()).containsExactlyInAnyOrder(A, B);

        assertRefused(CrlRejectedException.Reason.BEHIND_DELTA, () -> acceptor.accept(complete(5, A), afterDelta));
        RevocationIndex afterSix = RevocationIndex.empty().with(six);
        assertRefused(CrlRejectedException.Reason.OLDER_NUMBER, () -> acceptor.accept(complete(5, A), afterSix));
    }

    @Test
    void aCompleteCrlAfterADeltaIsReadWhole() throws Exception {
        // B was added by the delta and its hold lifted before CRL 7: 7's entries alone decide, although
        // its prefix is the held complete CRL's (the incremental read must not carry B over).
        RevocationIndex held = holding(complete(5, A));
        RevocationIndex afterDelta = RevocationIndex.empty().with(acceptor.acceptDelta(delta(6, 5, B), held));

        CrlSnapshot seven = acceptor.accept(complete(7, A, C), afterDelta);

        assertThat(seven.revokedSerials()).containsExactlyInAnyOrder(A, C);
    }

    @Test
    void theStateAppliesDeltasWithoutRaisingThePersistedFloor() throws Exception {
        CrlNumberFloor floor = CrlNumberFloor.open(dir.resolve("crl-numbers"));
        CrlAcceptor persisted = new CrlAcceptor(List.of(ca), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO, floor);
        AtomicInteger changes = new AtomicInteger();
        CrlState state = new CrlState(persisted, Clock.fixed(NOW, ZoneOffset.UTC), List.of(ca), changes::incrementAndGet);
        state.offer(complete(5, A), "test");

        assertThat(state.offerDelta(delta(6, 5, B), "push")).isNotNull();

        assertThat(state.current().snapshotFor(ca).revokes(B)).isTrue();
        assertThat(state.holds(BigInteger.valueOf(6))).isTrue();
        assertThat(state.deltaCount()).isEqualTo(1);
        assertThat(changes).hasValue(2);
        assertThat(CrlNumberFloor.open(dir.resolve("crl-numbers")).of(ca).number()).isEqualTo(5);
        // A delta whose base is not held changes nothing and counts no rejection.
        assertThat(state.offerDelta(delta(9, 8, C), "push")).isNull();
        assertThat(state.current().snapshotFor(ca).revokes(C)).isFalse();
        assertThat(state.rejectedCount()).isZero();
        // A complete CRL older than the delta (the publisher's previous one, still being polled) is not
        // taken and is no refusal either: it is simply behind.
        assertThat(state.offer(complete(5, A), "poll")).isEmpty();
        assertThat(state.rejectedCount()).isZero();
        assertThat(state.current().snapshotFor(ca).revokes(B)).isTrue();
        // The complete CRL 6 then replaces the delta's snapshot.
        assertThat(state.offer(complete(6, A, B), "poll")).hasSize(1);
        assertThat(state.current().snapshotFor(ca).complete()).isTrue();
    }
}
