package io.fjord.record;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Reads an LZ4 frame as Kafka's reader does (byte layout on {@link Lz4FrameOutputStream}):
 * version 01 only, independent blocks only (dependent blocks are rejected, as Kafka does), the
 * descriptor checksum is verified, an optional content-size field is skipped, block checksums and a
 * content checksum are skipped. Each block decompresses into at most the frame's declared maximum
 * block size. Not thread-safe.
 */
final class Lz4FrameInputStream extends InputStream {

    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final int FLG_VERSION_MASK = 0xC0;
    private static final int FLG_VERSION_01 = 0x40;
    private static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    private static final int FLG_BLOCK_CHECKSUM = 0x10;
    private static final int FLG_CONTENT_SIZE = 0x08;
    private static final int FLG_DICT_ID = 0x01;

    private final ByteBuffer in;
    private final boolean blockChecksum;
    private final byte[] block;
    private int blockPosition;
    private int blockLimit;
    private boolean finished;

    Lz4FrameInputStream(ByteBuffer source) {
        this.in = source.slice().order(ByteOrder.LITTLE_ENDIAN);
        require(7);
        if (in.getInt() != Lz4FrameOutputStream.MAGIC) {
            throw corrupt("bad LZ4 frame magic");
        }
        int descriptorStart = in.position();
        int flg = in.get() & 0xFF;
        int bd = in.get() & 0xFF;
        if ((flg & FLG_VERSION_MASK) != FLG_VERSION_01) {
            throw corrupt("unsupported LZ4 frame version");
        }
        if ((flg & FLG_BLOCK_INDEPENDENCE) == 0) {
            throw corrupt("LZ4 frames with dependent blocks are not supported");
        }
        if ((flg & FLG_DICT_ID) != 0) {
            throw corrupt("LZ4 frames with a dictionary id are not supported");
        }
        if ((flg & FLG_CONTENT_SIZE) != 0) {
            require(8);
            in.position(in.position() + 8);
        }
        int blockSizeCode = (bd >> 4) & 0x07;
        if (blockSizeCode < 4 || (bd & 0x8F) != 0) {
            throw corrupt("bad LZ4 block descriptor " + bd);
        }
        this.blockChecksum = (flg & FLG_BLOCK_CHECKSUM) != 0;
        int descriptorLength = in.position() - descriptorStart;
        require(1);
        int expected = (Lz4FrameOutputStream.XXHASH.hash(in, descriptorStart, descriptorLength, 0) >> 8) & 0xFF;
        if ((in.get() & 0xFF) != expected) {
            throw corrupt("LZ4 frame descriptor checksum mismatch");
        }
        this.block = new byte[1 << (8 + 2 * blockSizeCode)];
    }

    private boolean readBlock() {
        require(4);
        int header = in.getInt();
        int length = header & ~Lz4FrameOutputStream.UNCOMPRESSED_FLAG;
        if (length == 0) {
            // End mark; a content checksum may follow and is not needed.
            finished = true;
            return false;
        }
        if (length > block.length) {
            throw corrupt("LZ4 block of " + length + " bytes exceeds the frame's maximum block size");
        }
        require(length);
        if ((header & Lz4FrameOutputStream.UNCOMPRESSED_FLAG) != 0) {
            in.get(block, 0, length);
            blockLimit = length;
        } else {
            try {
                blockLimit = DECOMPRESSOR.decompress(in, in.position(), length, ByteBuffer.wrap(block), 0, block.length);
            } catch (LZ4Exception e) {
                throw corrupt("invalid LZ4 block: " + e.getMessage());
            }
            in.position(in.position() + length);
        }
        if (blockChecksum) {
            require(4);
            in.position(in.position() + 4);
        }
        blockPosition = 0;
        return true;
    }

    @Override
    public int read() {
        if (!ensureData()) {
            return -1;
        }
        return block[blockPosition++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!ensureData()) {
            return -1;
        }
        int n = Math.min(len, blockLimit - blockPosition);
        System.arraycopy(block, blockPosition, b, off, n);
        blockPosition += n;
        return n;
    }

    private boolean ensureData() {
        while (blockPosition == blockLimit) {
            if (finished || !readBlock()) {
                return false;
            }
        }
        return true;
    }

    private void require(int bytes) {
        if (in.remaining() < bytes) {
            throw corrupt("LZ4 frame is truncated");
        }
    }

    private static ApiException corrupt(String message) {
        return new ApiException(Errors.CORRUPT_MESSAGE, message);
    }
}
