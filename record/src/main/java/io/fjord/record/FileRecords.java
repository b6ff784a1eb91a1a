package io.fjord.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * A region of a segment file: {@code sizeInBytes} bytes starting at {@code position}. The broker
 * writes it to the socket with sendfile; everything else can {@link #readInto read} it. The channel
 * is owned by the segment, never closed by a reader.
 */
public record FileRecords(FileChannel channel, long position, int sizeInBytes) implements BaseRecords {

    public FileRecords {
        Objects.requireNonNull(channel, "channel");
        if (position < 0 || sizeInBytes < 0) {
            throw new IllegalArgumentException("position " + position + " and size " + sizeInBytes + " must be >= 0");
        }
    }

    /** Reads the whole region into {@code destination} (which must have room for it), with positional reads. */
    public void readInto(ByteBuffer destination) {
        if (destination.remaining() < sizeInBytes) {
            throw new IllegalArgumentException("need " + sizeInBytes + " bytes, the buffer has " + destination.remaining());
        }
        ByteBuffer target = destination.slice(destination.position(), sizeInBytes);
        long filePosition = position;
        try {
            while (target.hasRemaining()) {
                int read = channel.read(target, filePosition);
                if (read < 0) {
                    throw new IOException("end of file at " + filePosition + " while reading " + sizeInBytes + " bytes from " + position);
                }
                filePosition += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        destination.position(destination.position() + sizeInBytes);
    }

    /** The region's bytes in a new heap buffer (tests and control-plane paths only). */
    public MemoryRecords toMemoryRecords() {
        ByteBuffer buffer = ByteBuffer.allocate(sizeInBytes);
        readInto(buffer);
        return new MemoryRecords(buffer.flip());
    }
}
