package io.fjord.perf.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencyHistogramTest {

    @Test
    void shouldReportExactValuesBelowTheExactLimit() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int us = 1; us <= 1000; us++) {
            histogram.record(us);
        }
        assertThat(histogram.count()).isEqualTo(1000);
        assertThat(histogram.percentileUs(50)).isEqualTo(500);
        assertThat(histogram.percentileUs(99)).isEqualTo(990);
        assertThat(histogram.percentileUs(99.9)).isEqualTo(999);
        assertThat(histogram.percentileUs(100)).isEqualTo(1000);
        assertThat(histogram.maxUs()).isEqualTo(1000);
        assertThat(histogram.minUs()).isEqualTo(1);
        assertThat(histogram.meanUs()).isEqualTo(500.5);
    }

    @Test
    void shouldStayWithinATenthOfAPercentAboveTheExactLimit() {
        SplittableRandom random = new SplittableRandom(7);
        LatencyHistogram histogram = new LatencyHistogram();
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextLong(1, 5_000_000_000L);
            histogram.record(values[i]);
        }
        Arrays.sort(values);
        for (double percentile : new double[] {1, 50, 90, 99, 99.9, 99.99}) {
            long exact = values[(int) Math.ceil(percentile / 100 * values.length) - 1];
            long reported = histogram.percentileUs(percentile);
            assertThat(reported).as("p%s (seed 7)", percentile).isGreaterThanOrEqualTo(exact);
            assertThat((double) reported - exact).as("p%s (seed 7)", percentile).isLessThanOrEqualTo(exact / 1024.0 + 1);
        }
        assertThat(histogram.maxUs()).isEqualTo(values[values.length - 1]);
    }

    @Test
    void shouldMapEveryBucketBackToItsOwnRange() {
        for (long value : new long[] {0, 1, 2047, 2048, 2049, 4095, 4096, 1_000_000, LatencyHistogram.MAX_TRACKABLE_US}) {
            int index = LatencyHistogram.indexOf(value);
            assertThat(LatencyHistogram.highestValueOf(index)).as("bucket of %d", value).isGreaterThanOrEqualTo(value);
            if (index > 0) {
                assertThat(LatencyHistogram.highestValueOf(index - 1)).as("bucket below %d", value).isLessThan(value);
            }
        }
    }

    @Test
    void shouldClampNegativeAndHugeValues() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(-5);
        histogram.record(Long.MAX_VALUE);
        assertThat(histogram.minUs()).isZero();
        assertThat(histogram.maxUs()).isEqualTo(LatencyHistogram.MAX_TRACKABLE_US);
        assertThat(histogram.percentileUs(100)).isEqualTo(LatencyHistogram.MAX_TRACKABLE_US);
    }

    @Test
    void shouldAnswerZeroWhenEmptyAndRejectBadPercentiles() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.percentileUs(99)).isZero();
        assertThat(histogram.meanUs()).isZero();
        assertThat(histogram.minUs()).isZero();
        assertThatThrownBy(() -> histogram.percentileUs(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> histogram.percentileUs(100.1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAddAndResetCounts() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        b.record(30_000);
        a.add(b);
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.maxUs()).isEqualTo(30_000);
        assertThat(a.percentileUs(50)).isEqualTo(10);
        a.reset();
        assertThat(a.count()).isZero();
        assertThat(a.maxUs()).isZero();
    }
}
