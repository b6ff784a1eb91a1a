package io.fjord.protocol.types;

import io.fjord.record.BaseRecords;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;

import java.nio.ByteBuffer;

/**
 * A {@link MessageWriter} into one {@link ByteBuffer} that doubles (heap or direct) when a write
 * does not fit, up to a limit. Records are copied in; a {@link FileRecords} region is read from its
 * file. The base of {@link ByteBufferMessageWriter} and of clients' send buffers, which add what
 * they do with the bytes. Not thread-safe.
 */
public abstract class GrowableBufferWriter implements MessageWriter {

    private final int maxCapacityBytes;
    private final boolean direct;
    /** The bytes written so far are [0, position) (subclasses may move the start, never past position). */
    protected ByteBuffer buffer;

    protected GrowableBufferWriter(int initialCapacityBytes, int maxCapacityBytes, boolean direct) {
        if (initialCapacityBytes < 0 || maxCapacityBytes < initialCapacityBytes) {
            throw new IllegalArgumentException("capacities " + initialCapacityBytes + "/" + maxCapacityBytes);
        }
        this.maxCapacityBytes = maxCapacityBytes;
        this.direct = direct;
        this.buffer = allocate(initialCapacityBytes);
    }

    private ByteBuffer allocate(int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** Makes room for {@code bytes} more, growing the buffer (contents kept) if needed. */
    protected final void ensureCapacity(int bytes) {
        if (buffer.remaining() >= bytes) {
            return;
        }
        long needed = (long) buffer.position() + bytes;
        if (needed > maxCapacityBytes) {
            throw new IllegalStateException("encoding needs " + needed + " bytes, more than this writer's limit of "
                + maxCapacityBytes);
        }
        int capacity = (int) Math.min(maxCapacityBytes, Math.max(needed, 2L * buffer.capacity()));
        ByteBuffer grown = allocate(capacity);
        grown.put(buffer.flip());
        buffer = grown;
    }

    @Override
    public void writeInt8(byte value) {
        ensureCapacity(1);
        buffer.put(value);
    }

    @Override
    public void writeInt16(short value) {
        ensureCapacity(2);
        buffer.putShort(value);
    }

    @Override
    public void writeInt32(int value) {
        ensureCapacity(4);
        buffer.putInt(value);
    }

    @Override
    public void writeInt64(long value) {
        ensureCapacity(8);
        buffer.putLong(value);
    }

    @Override
    public void writeDouble(double value) {
        ensureCapacity(8);
        buffer.putDouble(value);
    }

    @Override
    public void writeBytes(byte[] bytes) {
        ensureCapacity(bytes.length);
        buffer.put(bytes);
    }

    @Override
    public void writeBytes(ByteBuffer bytes) {
        ensureCapacity(bytes.remaining());
        buffer.put(bytes.duplicate());
    }

    @Override
    public void writeRecords(BaseRecords records) {
        ensureCapacity(records.sizeInBytes());
        switch (records) {
            case MemoryRecords memory -> buffer.put(memory.duplicateBuffer());
            case FileRecords file -> file.readInto(buffer);
        }
    }
}
