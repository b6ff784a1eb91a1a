package io.fjord.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The {@code .timeindex} file of a segment: a sparse map from timestamp to offset, written
 * alongside the offset index whenever the segment's max timestamp grew.
 *
 * <pre>
 * entry (12 bytes, big-endian):
 * +-------------------------------+-----------------------------+
 * | timestamp int64 (ms)          | relative offset int32       |
 * +-------------------------------+-----------------------------+
 *   timestamps strictly increase; the offset is the last offset of the batch that carried
 *   the max timestamp so far (Kafka's "shallow" offset of the max timestamp).
 * </pre>
 */
final class TimeIndex extends AbstractIndex {

    static final int ENTRY_BYTES = 12;

    record TimestampOffset(long timestamp, long offset) {
    }

    TimeIndex(Path file, long baseOffset, int maxIndexBytes) throws IOException {
        super(file, baseOffset, maxIndexBytes, ENTRY_BYTES);
    }

    /** Appends when {@code timestamp} exceeds the last entry's timestamp and the index has room. */
    void maybeAppend(long timestamp, long offset) throws IOException {
        int count = entries();
        MappedByteBuffer buffer = mmap();
        if (count > 0) {
            long lastTimestamp = buffer.getLong((count - 1) * ENTRY_BYTES);
            long lastOffset = baseOffset + buffer.getInt((count - 1) * ENTRY_BYTES + 8);
            if (timestamp <= lastTimestamp || offset < lastOffset) {
                return;
            }
        }
        if (timestamp < 0 || isFull()) {
            return;
        }
        prepareAppend();
        buffer = mmap();
        buffer.putLong(count * ENTRY_BYTES, timestamp);
        buffer.putInt(count * ENTRY_BYTES + 8, (int) (offset - baseOffset));
        publishAppend();
    }

    /** The entry with the largest timestamp {@code <= targetTimestamp}, or (-1, baseOffset). */
    TimestampOffset lookup(long targetTimestamp) {
        int count = entries();
        MappedByteBuffer buffer = mmap();
        int slot = largestLowerBound(buffer, count, targetTimestamp, (b, n) -> b.getLong(n * ENTRY_BYTES));
        if (slot < 0) {
            return new TimestampOffset(-1L, baseOffset);
        }
        return entry(buffer, slot);
    }

    TimestampOffset lastEntry() {
        int count = entries();
        return count == 0 ? new TimestampOffset(-1L, baseOffset) : entry(mmap(), count - 1);
    }

    private TimestampOffset entry(MappedByteBuffer buffer, int slot) {
        return new TimestampOffset(buffer.getLong(slot * ENTRY_BYTES), baseOffset + buffer.getInt(slot * ENTRY_BYTES + 8));
    }

    /** Drops entries with offset {@code >= offset}. */
    void truncateTo(long offset) {
        int count = entries();
        MappedByteBuffer buffer = mmap();
        int keep = 0;
        while (keep < count && baseOffset + buffer.getInt(keep * ENTRY_BYTES + 8) < offset) {
            keep++;
        }
        truncateToEntries(keep);
    }

    @Override
    void sanityCheck(long logSizeBytes) {
        super.sanityCheck(logSizeBytes);
        MappedByteBuffer buffer = mmap();
        int count = entries();
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = -1;
        for (int i = 0; i < count; i++) {
            long timestamp = buffer.getLong(i * ENTRY_BYTES);
            int relativeOffset = buffer.getInt(i * ENTRY_BYTES + 8);
            boolean zeroFill = timestamp == 0 && relativeOffset == 0 && i > 0;
            if (timestamp <= previousTimestamp || relativeOffset < previousOffset || relativeOffset < 0 || zeroFill) {
                throw new CorruptIndexException(file() + " entry " + i + " (" + timestamp + ", " + relativeOffset + ") is out of order");
            }
            previousTimestamp = timestamp;
            previousOffset = relativeOffset;
        }
    }
}
