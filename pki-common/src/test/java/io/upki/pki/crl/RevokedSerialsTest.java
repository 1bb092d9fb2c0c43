package io.upki.pki.crl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CRL serial set stays equal to a plain set of everything added, and immutable, as it grows. */
class RevokedSerialsTest {
    private static List<BigInteger> range(int from, int to) {
        List<BigInteger> list = new ArrayList<>();
        for (int i = from; i < to; i++) {
            list.add(BigInteger.valueOf(i).shiftLeft(100).add(BigInteger.valueOf(i)));
        }
        return list;
    }

    @Test
    void growingOneEntryAtATimeMatchesAPlainSetAndLeavesEarlierSetsAlone() {
        RevokedSerials set = RevokedSerials.empty().plus(range(0, 20_000));
        Set<BigInteger> expected = new HashSet<>(range(0, 20_000));
        RevokedSerials first = set;
        // Past the fold threshold (max(4096, base/8)) more than once.
        for (int i = 20_000; i < 30_000; i++) {
            set = set.plus(List.of(BigInteger.valueOf(i).shiftLeft(100).add(BigInteger.valueOf(i))));
            expected.add(BigInteger.valueOf(i).shiftLeft(100).add(BigInteger.valueOf(i)));
        }
        assertThat(set).hasSize(30_000).isEqualTo(expected);
        assertThat(set.contains(BigInteger.valueOf(29_999).shiftLeft(100).add(BigInteger.valueOf(29_999)))).isTrue();
        assertThat(set.contains(BigInteger.valueOf(30_000))).isFalse();
        assertThat(first).hasSize(20_000);
        assertThat(first.contains(BigInteger.valueOf(20_000).shiftLeft(100).add(BigInteger.valueOf(20_000)))).isFalse();
    }

    @Test
    void duplicatesAreCountedOnce() {
        RevokedSerials set = RevokedSerials.empty().plus(List.of(BigInteger.ONE, BigInteger.ONE, BigInteger.TWO));
        assertThat(set).hasSize(2);
        RevokedSerials more = set.plus(List.of(BigInteger.TWO, BigInteger.TEN));
        assertThat(more).hasSize(3).containsExactlyInAnyOrder(BigInteger.ONE, BigInteger.TWO, BigInteger.TEN);
        assertThat(set.plus(List.of())).isSameAs(set);
        assertThat(RevokedSerials.empty().plus(List.of())).isSameAs(RevokedSerials.empty()).isEmpty();
    }

    @Test
    void cannotBeChanged() {
        RevokedSerials set = RevokedSerials.empty().plus(List.of(BigInteger.ONE)).plus(List.of(BigInteger.TWO));
        assertThatThrownBy(() -> set.add(BigInteger.TEN)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> set.remove(BigInteger.ONE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(set::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThat(set).hasSize(2);
    }
}
