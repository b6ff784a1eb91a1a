package io.fjord.perf.stats;

import java.util.Arrays;

/**
 * A fixed-size histogram of latencies in microseconds, exact below {@value #EXACT_LIMIT_US} µs and
 * within 1/{@value #SUB_BUCKETS} (0.1 %) relative error above, up to {@link #MAX_TRACKABLE_US}
 * (about 12 days; larger values are clamped). Recording is a few shifts and one array increment:
 * no allocation, so the produce loop can record every acknowledged record.
 *
 * <pre>
 *  value v (µs)                       bucket index
 *  0 .. 2047                          v                                   (exact, 1 µs wide)
 *  2^k .. 2^(k+1)-1, k = 11 .. 39     2048 + (k-11)*1024 + (v >> (k-10)) - 1024
 *                                     (1024 buckets per power of two, each 2^(k-10) µs wide)
 * </pre>
 *
 * Percentiles report the highest value of the bucket that holds the requested rank, so they never
 * understate a latency. Max, min and the mean are kept exactly beside the buckets.
 *
 * <p>Owned by the thread that runs the produce loop; not thread-safe.
 */
public final class LatencyHistogram {

    static final int EXACT_LIMIT_US = 2048;
    static final int SUB_BUCKETS = 1024;
    private static final int EXACT_BITS = 11;
    private static final int HIGHEST_EXPONENT = 39;
    public static final long MAX_TRACKABLE_US = (1L << (HIGHEST_EXPONENT + 1)) - 1;
    private static final int BUCKET_COUNT = EXACT_LIMIT_US + (HIGHEST_EXPONENT - EXACT_BITS + 1) * SUB_BUCKETS;

    private final long[] counts = new long[BUCKET_COUNT];
    private long totalCount;
    private long sumUs;
    private long maxUs;
    private long minUs = Long.MAX_VALUE;

    /** Records one latency; negative values count as 0, values beyond {@link #MAX_TRACKABLE_US} as that. */
    public void record(long latencyUs) {
        long value = Math.min(Math.max(0, latencyUs), MAX_TRACKABLE_US);
        counts[indexOf(value)]++;
        totalCount++;
        sumUs += value;
        if (value > maxUs) {
            maxUs = value;
        }
        if (value < minUs) {
            minUs = value;
        }
    }

    public long count() {
        return totalCount;
    }

    public long maxUs() {
        return maxUs;
    }

    /** The smallest value recorded, 0 when empty. */
    public long minUs() {
        return totalCount == 0 ? 0 : minUs;
    }

    public double meanUs() {
        return totalCount == 0 ? 0.0 : (double) sumUs / totalCount;
    }

    /**
     * The latency at {@code percentile} (0 < p <= 100): the smallest recorded bucket value such that
     * at least p % of the records are at or below it, reported as the bucket's upper bound (never
     * above the exact max). 0 when empty.
     */
    public long percentileUs(double percentile) {
        if (percentile <= 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + percentile);
        }
        if (totalCount == 0) {
            return 0;
        }
        // The tiny downward nudge keeps 99.9 % of 1000 at rank 999: 99.9 is not exact in binary.
        double exactRank = percentile / 100.0 * totalCount;
        long rank = Math.max(1, Math.min(totalCount, (long) Math.ceil(exactRank - exactRank * 1e-12)));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestValueOf(i), maxUs);
            }
        }
        return maxUs;
    }

    /** Adds every count of {@code other} into this histogram. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        totalCount += other.totalCount;
        sumUs += other.sumUs;
        maxUs = Math.max(maxUs, other.maxUs);
        minUs = Math.min(minUs, other.minUs);
    }

    public void reset() {
        Arrays.fill(counts, 0);
        totalCount = 0;
        sumUs = 0;
        maxUs = 0;
        minUs = Long.MAX_VALUE;
    }

    static int indexOf(long valueUs) {
        if (valueUs < EXACT_LIMIT_US) {
            return (int) valueUs;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(valueUs);
        int shift = exponent - (EXACT_BITS - 1);
        int subBucket = (int) (valueUs >>> shift) - SUB_BUCKETS;
        return EXACT_LIMIT_US + (exponent - EXACT_BITS) * SUB_BUCKETS + subBucket;
    }

    /** The largest value that lands in bucket {@code index}. */
    static long highestValueOf(int index) {
        if (index < EXACT_LIMIT_US) {
            return index;
        }
        int exponent = EXACT_BITS + (index - EXACT_LIMIT_US) / SUB_BUCKETS;
        int subBucket = (index - EXACT_LIMIT_US) % SUB_BUCKETS + SUB_BUCKETS;
        int shift = exponent - (EXACT_BITS - 1);
        return (((long) subBucket + 1) << shift) - 1;
    }
}
