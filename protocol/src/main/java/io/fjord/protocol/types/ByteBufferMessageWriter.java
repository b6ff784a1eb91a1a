package io.fjord.protocol.types;

import io.fjord.record.BaseRecords;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;

import java.nio.ByteBuffer;

/**
 * A {@link MessageWriter} into a growable heap buffer. Records are copied in; a
 * {@link FileRecords} region is read from its file. Used for control-plane responses, tests and
 * anything that needs the encoded bytes in hand; the broker's socket path uses its own writer.
 *
 * <p>Size the writer with {@code message.size(version)} to avoid any growth. Not thread-safe.
 */
public final class ByteBufferMessageWriter implements MessageWriter {

    private static final int DEFAULT_CAPACITY_BYTES = 256;

    private ByteBuffer buffer;

    public ByteBufferMessageWriter() {
        this(DEFAULT_CAPACITY_BYTES);
    }

    public ByteBufferMessageWriter(int initialCapacityBytes) {
        if (initialCapacityBytes < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + initialCapacityBytes);
        }
        this.buffer = ByteBuffer.allocate(initialCapacityBytes);
    }

    /** Encodes {@code message} at {@code version} into a new buffer of exactly its size, ready to read. */
    public static ByteBuffer toByteBuffer(Message message, short version) {
        ByteBufferMessageWriter writer = new ByteBufferMessageWriter(message.size(version));
        message.write(writer, version);
        return writer.toByteBuffer();
    }

    /** Bytes written so far. */
    public int sizeInBytes() {
        return buffer.position();
    }

    /** A read-ready view (position 0, limit = bytes written) sharing this writer's storage. */
    public ByteBuffer toByteBuffer() {
        return buffer.duplicate().flip();
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

    private void ensureCapacity(int bytes) {
        if (buffer.remaining() >= bytes) {
            return;
        }
        long needed = (long) buffer.position() + bytes;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("message larger than 2 GiB: " + needed + " bytes");
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buffer.capacity()));
        ByteBuffer grown = ByteBuffer.allocate(capacity);
        grown.put(buffer.flip());
        buffer = grown;
    }
}
