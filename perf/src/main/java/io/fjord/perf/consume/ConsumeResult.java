package io.fjord.perf.consume;

import java.util.Locale;

/**
 * The figures of a consume run: records and record-batch bytes received (batch headers included,
 * as they came over the wire), over the time from the first Fetch sent to the last needed answer.
 * Megabytes are MiB. {@code complete} is false when the run timed out before {@code numRecords}.
 * {@code fetches} counts the Fetch requests sent, {@code incrementalFetches} those that named an
 * open fetch session and listed only the partitions that moved.
 */
public record ConsumeResult(long records, long bytes, double seconds, boolean complete, long fetches, long incrementalFetches) {

    private static final double MIB = 1024.0 * 1024.0;

    public double recordsPerSecond() {
        return seconds > 0 ? records / seconds : 0;
    }

    public double mibPerSecond() {
        return seconds > 0 ? bytes / MIB / seconds : 0;
    }

    public String summaryLine() {
        return String.format(Locale.ROOT, "%d records received, %.1f records/sec, %.2f MB received, %.2f MB/sec, %.3f s.",
            records, recordsPerSecond(), bytes / MIB, mibPerSecond(), seconds);
    }

    /**
     * This pass and {@code next} as one read: records, bytes, seconds and fetches summed (the time
     * between passes is in neither), complete when both were.
     */
    public ConsumeResult plus(ConsumeResult next) {
        return new ConsumeResult(records + next.records, bytes + next.bytes, seconds + next.seconds, complete && next.complete,
            fetches + next.fetches, incrementalFetches + next.incrementalFetches);
    }

    /** One line for harnesses: {@code RESULT} then space-separated key=value pairs. */
    public String resultLine() {
        return String.format(Locale.ROOT, "RESULT records=%d bytes=%d seconds=%.3f mbPerSec=%.2f recPerSec=%.1f fetches=%d incrementalFetches=%d",
            records, bytes, seconds, mibPerSecond(), recordsPerSecond(), fetches, incrementalFetches);
    }
}
