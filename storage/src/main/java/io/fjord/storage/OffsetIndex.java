package io.fjord.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The {@code .index} file of a segment: a sparse map from offset to byte position in the
 * {@code .log} file, one entry every {@code index.interval.bytes} of appended data.
 *
 * <pre>
 * entry (8 bytes, big-endian):
 * +-----------------------------+------------------------+
 * | relative offset int32       | file position int32    |
 * +-----------------------------+------------------------+
 *   relative offset = offset - segment base offset; both strictly increase entry to entry.
 * </pre>
 * An entry (offset, position) says: the append that started at {@code position} contains
 * {@code offset} as its last offset, so every batch before {@code position} ends below it.
 */
final class OffsetIndex extends AbstractIndex {

    static final int ENTRY_BYTES = 8;

    /** A looked-up position: the batch containing {@code offset}'s search starts at {@code position}. */
    record OffsetPosition(long offset, int position) {
    }

    OffsetIndex(Path file, long baseOffset, int maxIndexBytes) throws IOException {
        super(file, baseOffset, maxIndexBytes, ENTRY_BYTES);
    }

    /** Appends (offset, position); the caller guarantees both exceed the last entry's. */
    void append(long offset, int position) throws IOException {
        prepareAppend();
        int count = entries();
        MappedByteBuffer buffer = mmap();
        buffer.putInt(count * ENTRY_BYTES, (int) (offset - baseOffset));
        buffer.putInt(count * ENTRY_BYTES + 4, position);
        publishAppend();
    }

    /** The entry with the largest offset {@code <= targetOffset}, or (baseOffset, 0). */
    OffsetPosition lookup(long targetOffset) {
        int count = entries();
        MappedByteBuffer buffer = mmap();
        int slot = largestLowerBound(buffer, count, targetOffset - baseOffset, (b, n) -> b.getInt(n * ENTRY_BYTES));
        if (slot < 0) {
            return new OffsetPosition(baseOffset, 0);
        }
        return entry(buffer, slot);
    }

    OffsetPosition lastEntry() {
        int count = entries();
        return count == 0 ? new OffsetPosition(baseOffset, 0) : entry(mmap(), count - 1);
    }

    private OffsetPosition entry(MappedByteBuffer buffer, int slot) {
        return new OffsetPosition(baseOffset + buffer.getInt(slot * ENTRY_BYTES), buffer.getInt(slot * ENTRY_BYTES + 4));
    }

    /** Drops entries with offset {@code >= offset}. */
    void truncateTo(long offset) {
        int count = entries();
        int slot = largestLowerBound(mmap(), count, offset - baseOffset - 1, (b, n) -> b.getInt(n * ENTRY_BYTES));
        truncateToEntries(slot + 1);
    }

    /** Entries strictly increase in offset and position, are non-negative and point inside the log. */
    @Override
    void sanityCheck(long logSizeBytes) {
        super.sanityCheck(logSizeBytes);
        MappedByteBuffer buffer = mmap();
        int count = entries();
        long previousOffset = -1;
        long previousPosition = 0;
        for (int i = 0; i < count; i++) {
            int relativeOffset = buffer.getInt(i * ENTRY_BYTES);
            int position = buffer.getInt(i * ENTRY_BYTES + 4);
            // Position 0 is never indexed (the first append of a segment is not), so it marks zero fill.
            if (relativeOffset <= previousOffset || position <= previousPosition || position >= logSizeBytes) {
                throw new CorruptIndexException(file() + " entry " + i + " (" + relativeOffset + ", " + position + ") is out of order or outside the log");
            }
            previousOffset = relativeOffset;
            previousPosition = position;
        }
    }
}
