package io.fjord.record;

import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Writes the LZ4 frame format exactly as Kafka's producer does (PROTOCOL.md §4.5, KIP-57):
 *
 * <pre>
 * +------------------------+-----+----+----+---------------------------------+-----------+
 * | magic 0x184D2204 (LE)  | FLG | BD | HC | blocks ...                      | int32 0   |
 * +------------------------+-----+----+----+---------------------------------+-----------+
 *   FLG = 0x60: version 01, independent blocks, no block/content checksum, no content size
 *   BD  = 0x40: 64 KB maximum block size
 *   HC  = (xxhash32(FLG BD, seed 0) >> 8) &amp; 0xFF   (the corrected descriptor checksum)
 *   block = int32 LE size (high bit set: stored uncompressed) then that many bytes
 * </pre>
 * Not thread-safe; one stream per batch being built.
 */
final class Lz4FrameOutputStream extends OutputStream {

    static final int MAGIC = 0x184D2204;
    static final int BLOCK_SIZE_64KB = 64 * 1024;
    static final int FLG_DEFAULT = 0x60;
    static final int BD_64KB = 0x40;
    static final int UNCOMPRESSED_FLAG = 0x80000000;

    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    private final OutputStream out;
    private final byte[] block = new byte[BLOCK_SIZE_64KB];
    private final byte[] compressed = new byte[COMPRESSOR.maxCompressedLength(BLOCK_SIZE_64KB)];
    private int blockSize;
    private boolean closed;

    Lz4FrameOutputStream(OutputStream out) throws IOException {
        this.out = out;
        writeHeader();
    }

    private void writeHeader() throws IOException {
        byte[] header = new byte[7];
        writeIntLe(header, 0, MAGIC);
        header[4] = (byte) FLG_DEFAULT;
        header[5] = (byte) BD_64KB;
        header[6] = (byte) ((XXHASH.hash(header, 4, 2, 0) >> 8) & 0xFF);
        out.write(header);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (blockSize == block.length) {
            writeBlock();
        }
        block[blockSize++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        while (len > 0) {
            if (blockSize == block.length) {
                writeBlock();
            }
            int n = Math.min(len, block.length - blockSize);
            System.arraycopy(b, off, block, blockSize, n);
            blockSize += n;
            off += n;
            len -= n;
        }
    }

    private void writeBlock() throws IOException {
        if (blockSize == 0) {
            return;
        }
        int compressedLength = COMPRESSOR.compress(block, 0, blockSize, compressed, 0);
        byte[] sizeBytes = new byte[4];
        if (compressedLength >= blockSize) {
            writeIntLe(sizeBytes, 0, blockSize | UNCOMPRESSED_FLAG);
            out.write(sizeBytes);
            out.write(block, 0, blockSize);
        } else {
            writeIntLe(sizeBytes, 0, compressedLength);
            out.write(sizeBytes);
            out.write(compressed, 0, compressedLength);
        }
        blockSize = 0;
    }

    @Override
    public void flush() throws IOException {
        if (!closed) {
            writeBlock();
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        writeBlock();
        out.write(new byte[4]);
        closed = true;
        out.close();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    static void writeIntLe(byte[] buf, int off, int value) {
        buf[off] = (byte) value;
        buf[off + 1] = (byte) (value >>> 8);
        buf[off + 2] = (byte) (value >>> 16);
        buf[off + 3] = (byte) (value >>> 24);
    }
}
