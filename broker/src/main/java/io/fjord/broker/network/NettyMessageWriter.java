package io.fjord.broker.network;

import io.fjord.common.Uuid;
import io.fjord.protocol.types.MessageWriter;
import io.fjord.record.BaseRecords;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one response frame into pooled Netty buffers. Records held in segment files are not
 * copied: the writer closes the current buffer and queues a {@link SharedFileRegion} that Netty
 * sends with sendfile, then continues in a new buffer. In-memory records are copied.
 *
 * <p>Single use, on the connection's event loop: write the frame, then {@link #flushTo}.
 */
final class NettyMessageWriter implements MessageWriter {

    /** Record sets smaller than this are copied; a sendfile call costs more than copying a few bytes. */
    private static final int MIN_SENDFILE_BYTES = 4096;

    private final ByteBufAllocator allocator;
    private final int expectedBytes;
    private final List<Object> parts = new ArrayList<>(4);
    private ByteBuf current;

    NettyMessageWriter(ByteBufAllocator allocator, int expectedBytes) {
        this.allocator = allocator;
        this.expectedBytes = expectedBytes;
        this.current = allocator.ioBuffer(Math.min(expectedBytes, 1 << 20));
    }

    @Override
    public void writeInt8(byte value) {
        current.writeByte(value);
    }

    @Override
    public void writeInt16(short value) {
        current.writeShort(value);
    }

    @Override
    public void writeInt32(int value) {
        current.writeInt(value);
    }

    @Override
    public void writeInt64(long value) {
        current.writeLong(value);
    }

    @Override
    public void writeDouble(double value) {
        current.writeDouble(value);
    }

    @Override
    public void writeUuid(Uuid value) {
        current.writeLong(value.mostSignificantBits());
        current.writeLong(value.leastSignificantBits());
    }

    @Override
    public void writeUnsignedVarint(int value) {
        while ((value & 0xFFFFFF80) != 0) {
            current.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        current.writeByte(value);
    }

    @Override
    public void writeVarint(int value) {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    @Override
    public void writeVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0L) {
            current.writeByte(((int) v & 0x7F) | 0x80);
            v >>>= 7;
        }
        current.writeByte((int) v);
    }

    @Override
    public void writeBytes(byte[] bytes) {
        current.writeBytes(bytes);
    }

    @Override
    public void writeBytes(ByteBuffer bytes) {
        current.writeBytes(bytes.duplicate());
    }

    @Override
    public void writeRecords(BaseRecords records) {
        switch (records) {
            case MemoryRecords memory -> current.writeBytes(memory.duplicateBuffer());
            case FileRecords file when file.sizeInBytes() < MIN_SENDFILE_BYTES -> {
                ByteBuffer copy = ByteBuffer.allocate(file.sizeInBytes());
                file.readInto(copy);
                current.writeBytes(copy.flip());
            }
            case FileRecords file -> {
                parts.add(current);
                parts.add(new SharedFileRegion(file.channel(), file.position(), file.sizeInBytes()));
                current = allocator.ioBuffer(Math.max(256, Math.min(expectedBytes, 64 * 1024)));
            }
        }
    }

    /** Writes every part to the channel (without flushing) and gives up ownership of them. */
    void flushTo(ChannelHandlerContext context) {
        parts.add(current);
        for (Object part : parts) {
            if (part instanceof ByteBuf buffer && !buffer.isReadable()) {
                buffer.release();
                continue;
            }
            context.write(part, context.voidPromise());
        }
        parts.clear();
        current = null;
    }

    /** Releases every part; for a response that could not be written. */
    void discard() {
        if (current != null) {
            parts.add(current);
        }
        for (Object part : parts) {
            io.netty.util.ReferenceCountUtil.release(part);
        }
        parts.clear();
        current = null;
    }
}
