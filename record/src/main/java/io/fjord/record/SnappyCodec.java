package io.fjord.record;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xerial.snappy.Snappy;

/**
 * Snappy decompression for both encodings producers send (PROTOCOL.md §4.5):
 *
 * <pre>
 * xerial framing (Java producer, snappy-java SnappyOutputStream):
 *   +--------------------------------------+-------------+----------------+
 *   | magic 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0 | int32 ver=1 | int32 compat=1 |   16-byte header
 *   +--------------------------------------+-------------+----------------+
 *   | int32 chunk length (big-endian) | raw snappy chunk | ...  repeated to the end
 *
 * raw snappy (librdkafka, kafkajs): one raw snappy block, no header.
 * </pre>
 *
 * Every chunk's uncompressed length (the varint at the start of a raw snappy block) is checked
 * against what is left of the caller's limit before anything is allocated for it.
 */
final class SnappyCodec {

    static final byte[] XERIAL_MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    static final int XERIAL_HEADER_BYTES = 16;

    private SnappyCodec() {
    }

    static boolean hasXerialHeader(ByteBuffer source) {
        if (source.remaining() < XERIAL_HEADER_BYTES) {
            return false;
        }
        for (int i = 0; i < XERIAL_MAGIC.length; i++) {
            if (source.get(source.position() + i) != XERIAL_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    static ByteBuffer decompress(ByteBuffer source, int limit) throws IOException {
        if (!hasXerialHeader(source)) {
            byte[] raw = remainingBytes(source, source.remaining());
            byte[] out = new byte[checkedLength(Snappy.uncompressedLength(raw), limit)];
            int n = Snappy.uncompress(raw, 0, raw.length, out, 0);
            return ByteBuffer.wrap(out, 0, n).slice();
        }
        source.position(source.position() + XERIAL_HEADER_BYTES);
        ByteArraySink sink = new ByteArraySink(limit);
        while (source.hasRemaining()) {
            if (source.remaining() < 4) {
                throw new ApiException(Errors.CORRUPT_MESSAGE, "snappy chunk length is truncated");
            }
            int chunkLength = source.getInt();
            if (chunkLength < 0 || chunkLength > source.remaining()) {
                throw new ApiException(Errors.CORRUPT_MESSAGE, "snappy chunk length " + chunkLength + " exceeds the data");
            }
            byte[] chunk = remainingBytes(source, chunkLength);
            int length = checkedLength(Snappy.uncompressedLength(chunk), limit - sink.size);
            sink.ensure(length);
            sink.size += Snappy.uncompress(chunk, 0, chunk.length, sink.bytes, sink.size);
        }
        return ByteBuffer.wrap(sink.bytes, 0, sink.size).slice();
    }

    private static int checkedLength(int length, int limit) {
        if (length < 0) {
            throw new ApiException(Errors.CORRUPT_MESSAGE, "snappy block claims a negative length");
        }
        if (length > limit) {
            throw CompressionType.tooLarge(limit);
        }
        return length;
    }

    private static byte[] remainingBytes(ByteBuffer source, int length) {
        byte[] bytes = new byte[length];
        source.get(bytes);
        return bytes;
    }

    /** A growable byte array with a hard limit. */
    private static final class ByteArraySink {
        private final int limit;
        private byte[] bytes = new byte[0];
        private int size;

        ByteArraySink(int limit) {
            this.limit = limit;
        }

        void ensure(int more) {
            int needed = size + more;
            if (needed > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(needed, bytes.length * 2L)));
            }
        }
    }
}
