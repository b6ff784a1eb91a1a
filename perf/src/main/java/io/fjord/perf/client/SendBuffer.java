package io.fjord.perf.client;

import io.fjord.protocol.types.GrowableBufferWriter;
import io.fjord.protocol.types.MessageWriter;

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
public final class SendBuffer extends GrowableBufferWriter {

    private int head;
    private long bytesAppended;
    private long bytesFlushed;

    public SendBuffer(int initialCapacityBytes, int maxCapacityBytes) {
        super(positive(initialCapacityBytes), maxCapacityBytes, true);
    }

    private static int positive(int initialCapacityBytes) {
        if (initialCapacityBytes <= 0) {
            throw new IllegalArgumentException("initial capacity must be positive, was " + initialCapacityBytes);
        }
        return initialCapacityBytes;
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
}
