package io.fjord.perf.client;

import io.fjord.protocol.types.MessageWriter;
import io.fjord.record.BaseRecords;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The bytes waiting to go out on one connection: whole request frames appended at the tail, flushed
 * to the socket from the head. One direct buffer, reused for the life of the connection, so writing
 * a request costs no allocation and the socket write needs no copy into a temporary direct buffer.
 *
 * <pre>
 *  0            head                     tail                   capacity
 *  |  flushed   |  written, not yet sent  |  free                 |
 * </pre>
 *
 * A frame is appended with {@link #beginFrame()}, any number of {@link MessageWriter} calls and
 * {@link #endFrame(int)}, which fills in the 4-byte size prefix. The buffer grows (doubling) while a
 * frame is written, never beyond {@code maxCapacityBytes}. Counters {@link #bytesAppended()} and
 * {@link #bytesFlushed()} let the owner know when a given frame has left (acks=0 produce requests).
 *
 * <p>Owned by the thread that runs the connection's event loop; not thread-safe.
 */
public final class SendBuffer implements MessageWriter {

    private final int maxCapacityBytes;
    private ByteBuffer buffer;
    private int head;
    private long bytesAppended;
    private long bytesFlushed;

    public SendBuffer(int initialCapacityBytes, int maxCapacityBytes) {
        if (initialCapacityBytes <= 0 || maxCapacityBytes < initialCapacityBytes) {
            throw new IllegalArgumentException("capacities " + initialCapacityBytes + "/" + maxCapacityBytes);
        }
        this.maxCapacityBytes = maxCapacityBytes;
        this.buffer = ByteBuffer.allocateDirect(initialCapacityBytes);
    }

    /** Bytes appended but not yet written to the socket. */
    public int pendingBytes() {
        return buffer.position() - head;
    }

    public long bytesAppended() {
        return bytesAppended;
    }

    public long bytesFlushed() {
        return bytesFlushed;
    }

    /** Starts a frame: reserves its size prefix and returns the frame's start for {@link #endFrame}. */
    public int beginFrame() {
        compactIfEmpty();
        int start = buffer.position();
        writeInt32(0);
        return start;
    }

    /** Ends the frame begun at {@code start}: writes its size (bytes after the prefix); returns the frame's total size. */
    public int endFrame(int start) {
        int frameBytes = buffer.position() - start;
        buffer.putInt(start, frameBytes - 4);
        bytesAppended += frameBytes;
        return frameBytes;
    }

    /** Drops a frame that could not be completed (an encoding failure), so no partial frame is ever sent. */
    public void abortFrame(int start) {
        buffer.position(start);
    }

    /** Writes as much as the socket takes now; returns the bytes written. */
    public int flushTo(WritableByteChannel channel) throws IOException {
        if (pendingBytes() == 0) {
            return 0;
        }
        ByteBuffer out = buffer.duplicate();
        out.limit(buffer.position()).position(head);
        int written = channel.write(out);
        head += written;
        bytesFlushed += written;
        compactIfEmpty();
        return written;
    }

    private void compactIfEmpty() {
        if (head == buffer.position()) {
            head = 0;
            buffer.clear();
        } else if (head > buffer.capacity() / 2) {
            // Move the unsent tail to the front so appending does not grow the buffer needlessly.
            buffer.limit(buffer.position()).position(head);
            buffer.compact();
            head = 0;
        }
    }

    private void ensureCapacity(int bytes) {
        if (buffer.remaining() >= bytes) {
            return;
        }
        long needed = (long) buffer.position() + bytes;
        if (needed > maxCapacityBytes) {
            throw new IllegalStateException("request larger than the send buffer's limit of " + maxCapacityBytes + " bytes");
        }
        int capacity = (int) Math.min(maxCapacityBytes, Math.max(needed, 2L * buffer.capacity()));
        ByteBuffer grown = ByteBuffer.allocateDirect(capacity);
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
