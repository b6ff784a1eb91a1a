package io.fjord.perf.produce;

import java.util.Locale;

/**
 * The figures of a produce run's measured part (warm-up excluded). Latencies are per record, from
 * the moment it was appended to the moment its batch was acknowledged (for acks=0: written to the
 * socket), in microseconds. Megabytes are MiB of record values, as in Kafka's ProducerPerformance.
 */
public record ProduceResult(long records, long recordSizeBytes, double seconds, double avgUs, long p50Us, long p95Us,
                            long p99Us, long p999Us, long maxUs) {

    private static final double MIB = 1024.0 * 1024.0;

    public double recordsPerSecond() {
        return seconds > 0 ? records / seconds : 0;
    }

    public double mibPerSecond() {
        return seconds > 0 ? records * (double) recordSizeBytes / MIB / seconds : 0;
    }

    /** Kafka ProducerPerformance's final line, with latencies in ms to the microsecond. */
    public String summaryLine() {
        return String.format(Locale.ROOT,
            "%d records sent, %.1f records/sec (%.2f MB/sec), %.3f ms avg latency, %.3f ms max latency, "
                + "%.3f ms 50th, %.3f ms 95th, %.3f ms 99th, %.3f ms 99.9th.",
            records, recordsPerSecond(), mibPerSecond(), avgUs / 1000.0, maxUs / 1000.0,
            p50Us / 1000.0, p95Us / 1000.0, p99Us / 1000.0, p999Us / 1000.0);
    }

    /** One line for harnesses: {@code RESULT} then space-separated key=value pairs. */
    public String resultLine() {
        return String.format(Locale.ROOT,
            "RESULT records=%d seconds=%.3f recPerSec=%.1f mbPerSec=%.2f avgUs=%.0f p50Us=%d p95Us=%d p99Us=%d p999Us=%d maxUs=%d",
            records, seconds, recordsPerSecond(), mibPerSecond(), avgUs, p50Us, p95Us, p99Us, p999Us, maxUs);
    }
}
