package io.fjord.perf.produce;

import io.fjord.perf.stats.LatencyHistogram;

import java.util.Locale;

/**
 * Counts acknowledged records: every record into the current reporting window (printed every few
 * seconds, like ProducerPerformance's progress lines), measured records (after warm-up) into the
 * latency histogram for the final figures. Owned by the produce loop's thread.
 */
final class ProduceStats {

    private static final double MIB = 1024.0 * 1024.0;

    private final int recordSizeBytes;
    private final LatencyHistogram histogram = new LatencyHistogram();
    private long measuredStartNs = -1;
    private long lastAckNs;
    private long windowStartNs;
    private long windowRecords;
    private long windowLatencySumUs;
    private long windowMaxUs;

    ProduceStats(int recordSizeBytes, long startNs) {
        this.recordSizeBytes = recordSizeBytes;
        this.windowStartNs = startNs;
    }

    /** The first measured record was appended at {@code nowNs}: the measured time starts here. */
    void startMeasuring(long nowNs) {
        measuredStartNs = nowNs;
    }

    /** Records the first {@code count} latencies of {@code sendNs}, counting only those from {@code measuredFrom} on. */
    void onAcked(long[] sendNs, int count, int measuredFrom, long nowNs) {
        for (int i = 0; i < count; i++) {
            long latencyUs = (nowNs - sendNs[i]) / 1000;
            windowLatencySumUs += latencyUs;
            if (latencyUs > windowMaxUs) {
                windowMaxUs = latencyUs;
            }
            if (i >= measuredFrom) {
                histogram.record(latencyUs);
            }
        }
        windowRecords += count;
        lastAckNs = nowNs;
    }

    /** The progress line for the window ending now; starts a new window. */
    String windowLine(long nowNs) {
        double seconds = Math.max(1e-9, (nowNs - windowStartNs) / 1e9);
        String line = String.format(Locale.ROOT, "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.",
            windowRecords, windowRecords / seconds, windowRecords * (double) recordSizeBytes / MIB / seconds,
            windowRecords == 0 ? 0.0 : windowLatencySumUs / 1000.0 / windowRecords, windowMaxUs / 1000.0);
        windowStartNs = nowNs;
        windowRecords = 0;
        windowLatencySumUs = 0;
        windowMaxUs = 0;
        return line;
    }

    ProduceResult result() {
        double seconds = measuredStartNs < 0 ? 0 : Math.max(0, lastAckNs - measuredStartNs) / 1e9;
        return new ProduceResult(histogram.count(), recordSizeBytes, seconds, histogram.meanUs(), histogram.percentileUs(50),
            histogram.percentileUs(95), histogram.percentileUs(99), histogram.percentileUs(99.9), histogram.maxUs());
    }
}
