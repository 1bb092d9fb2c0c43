package io.upki.bench;

import java.util.ArrayList;
import java.util.List;

/** The few statistics every bench figure uses: nearest-rank percentiles, the median and rounding for the JSON lines. */
public final class Stats {
    private Stats() {
    }

    /**
     * Nearest-rank percentile of ascending {@code sorted} values: the value at rank ⌈fraction × n⌉
     * (clamped to 1 .. n); 0 when there are none.
     */
    public static long nearestRank(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[index(sorted.length, fraction)];
    }

    /** The same nearest-rank percentile of values in any order (a sorted copy is ranked); 0 when there are none. */
    public static double nearestRank(List<Double> values, double fraction) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(index(sorted.size(), fraction));
    }

    private static int index(int n, double fraction) {
        int rank = (int) Math.ceil(fraction * n);
        return Math.min(n, Math.max(1, rank)) - 1;
    }

    /** The median (the mean of the two middle values for an even count); NaN when there are none. */
    public static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** {@code v} rounded half up to {@code digits} decimals; NaN and infinities as they are. */
    public static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
