package io.fjord.protocol.types;

import io.fjord.record.FileRecords;

import java.nio.ByteBuffer;

/**
 * A {@link MessageWriter} into a growable heap buffer. Records are copied in; a
 * {@link FileRecords} region is read from its file. Used for control-plane responses, tests and
 * anything that needs the encoded bytes in hand; the broker's socket path uses its own writer.
 *
 * <p>Size the writer with {@code message.size(version)} to avoid any growth. Not thread-safe.
 */
public final class ByteBufferMessageWriter extends GrowableBufferWriter {

    private static final int DEFAULT_CAPACITY_BYTES = 256;

    public ByteBufferMessageWriter() {
        this(DEFAULT_CAPACITY_BYTES);
    }

    public ByteBufferMessageWriter(int initialCapacityBytes) {
        super(initialCapacityBytes, Integer.MAX_VALUE - 8, false);
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
}
