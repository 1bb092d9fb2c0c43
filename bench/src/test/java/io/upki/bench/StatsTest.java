package io.upki.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles, medians and rounding give the figures the bench reports have always shown. */
class StatsTest {
    @Test
    void nearestRankPicksTheValueAtTheCeilingRank() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertThat(Stats.nearestRank(sorted, 0.50)).isEqualTo(50);
        assertThat(Stats.nearestRank(sorted, 0.51)).isEqualTo(60);
        assertThat(Stats.nearestRank(sorted, 0.99)).isEqualTo(100);
        assertThat(Stats.nearestRank(sorted, 0.0)).isEqualTo(10);
        assertThat(Stats.nearestRank(sorted, 1.0)).isEqualTo(100);
    }

    @Test
    void nearestRankOfNothingIsZero() {
        assertThat(Stats.nearestRank(new long[0], 0.5)).isZero();
        assertThat(Stats.nearestRank(List.of(), 0.5)).isZero();
    }

    @Test
    void nearestRankSortsValuesGivenInAnyOrder() {
        List<Double> values = List.of(9.0, 1.0, 5.0, 3.0, 7.0);
        assertThat(Stats.nearestRank(values, 0.5)).isEqualTo(5.0);
        assertThat(Stats.nearestRank(values, 0.9)).isEqualTo(9.0);
        assertThat(values).containsExactly(9.0, 1.0, 5.0, 3.0, 7.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void roundKeepsTheGivenDecimalsAndLeavesNanAlone() {
        assertThat(Stats.round(1.23456, 2)).isEqualTo(1.23);
        assertThat(Stats.round(1.235, 1)).isEqualTo(1.2);
        assertThat(Stats.round(2.5, 0)).isEqualTo(3.0);
        assertThat(Stats.round(Double.NaN, 2)).isNaN();
        assertThat(Stats.round(Double.POSITIVE_INFINITY, 2)).isInfinite();
    }
}
