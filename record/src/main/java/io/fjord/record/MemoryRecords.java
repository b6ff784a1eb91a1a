package io.fjord.record;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Record batches held in memory. Wraps the buffer from its position to its limit; the buffer is
 * shared, not copied (a produce request's records are a slice of the request frame).
 */
public record MemoryRecords(ByteBuffer buffer) implements BaseRecords {

    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    public MemoryRecords {
        Objects.requireNonNull(buffer, "buffer");
    }

    @Override
    public int sizeInBytes() {
        return buffer.remaining();
    }

    /** A fresh view over the same bytes, so readers never disturb each other's positions. */
    public ByteBuffer duplicateBuffer() {
        return buffer.duplicate();
    }
}
