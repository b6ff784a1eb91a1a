package io.fjord.record;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * The compression codec of a v2 batch, attribute bits 0-2 (PROTOCOL.md §4.5). Compression is for
 * producers (tests, Fjord's client, the broker when a topic forces a codec); decompression is for
 * validation and consumers.
 *
 * <p>Decompression is always bounded: {@link #decompress} stops with CORRUPT_MESSAGE as soon as the
 * output would exceed the caller's limit, so a small compressed blob can never make the broker
 * allocate more than the limit (a decompression bomb). Output buffers grow with the bytes actually
 * produced, never from a length the input claims.
 */
public enum CompressionType {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private static final int READ_CHUNK_BYTES = 8 * 1024;

    private final int id;
    private final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    public int id() {
        return id;
    }

    /** The name as Kafka's {@code compression.type} config spells it. */
    public String configName() {
        return configName;
    }

    public static CompressionType forId(int id) {
        return switch (id) {
            case 0 -> NONE;
            case 1 -> GZIP;
            case 2 -> SNAPPY;
            case 3 -> LZ4;
            case 4 -> ZSTD;
            default -> throw new ApiException(Errors.CORRUPT_MESSAGE, "unknown compression codec id " + id);
        };
    }

    public static CompressionType forConfigName(String name) {
        for (CompressionType type : values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown compression type " + name);
    }

    /** Wraps {@code out} so that bytes written to the result arrive compressed; close the result to finish the frame. */
    public OutputStream wrapForOutput(OutputStream out) {
        try {
            return switch (this) {
                case NONE -> out;
                case GZIP -> new GZIPOutputStream(out, 8 * 1024);
                // Like Kafka's producer: xerial framing with 32 KB blocks.
                case SNAPPY -> new SnappyOutputStream(out, 32 * 1024);
                case LZ4 -> new Lz4FrameOutputStream(out);
                case ZSTD -> new ZstdOutputStreamNoFinalizer(out, 3);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compresses all remaining bytes of {@code input} (its position is not moved) into a new buffer. */
    public ByteBuffer compress(ByteBuffer input) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream(Math.max(64, input.remaining() / 2));
        try (OutputStream out = wrapForOutput(sink)) {
            ByteBuffer source = input.duplicate();
            byte[] chunk = new byte[Math.min(READ_CHUNK_BYTES, Math.max(1, source.remaining()))];
            while (source.hasRemaining()) {
                int n = Math.min(chunk.length, source.remaining());
                source.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(sink.toByteArray());
    }

    /**
     * Decompresses all remaining bytes of {@code compressed} (position not moved) into a new heap
     * buffer of at most {@code maxDecompressedBytes}; anything larger, or bytes that are not a valid
     * stream of this codec, is CORRUPT_MESSAGE.
     */
    public ByteBuffer decompress(ByteBuffer compressed, int maxDecompressedBytes) {
        if (maxDecompressedBytes < 0) {
            throw new IllegalArgumentException("maxDecompressedBytes " + maxDecompressedBytes);
        }
        ByteBuffer source = compressed.duplicate();
        try {
            return switch (this) {
                case NONE -> source.slice();
                case GZIP -> drain(new GZIPInputStream(new ByteBufferInputStream(source), 8 * 1024), maxDecompressedBytes);
                case SNAPPY -> SnappyCodec.decompress(source, maxDecompressedBytes);
                case LZ4 -> drain(new Lz4FrameInputStream(source), maxDecompressedBytes);
                case ZSTD -> drain(new ZstdInputStreamNoFinalizer(new ByteBufferInputStream(source)), maxDecompressedBytes);
            };
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The codec libraries signal bad input with IOException or assorted runtime exceptions.
            throw new ApiException(Errors.CORRUPT_MESSAGE, "cannot decompress " + configName + " data: " + e);
        }
    }

    /** Reads {@code in} to its end into a buffer that grows with the data and never beyond {@code limit}. */
    static ByteBuffer drain(InputStream in, int limit) throws IOException {
        try (in) {
            byte[] out = new byte[Math.min(limit, 16 * 1024)];
            int size = 0;
            while (true) {
                if (size == out.length) {
                    if (size == limit) {
                        if (in.read() < 0) {
                            break;
                        }
                        throw tooLarge(limit);
                    }
                    out = Arrays.copyOf(out, (int) Math.min(limit, Math.max(16L, out.length * 2L)));
                }
                int n = in.read(out, size, out.length - size);
                if (n < 0) {
                    break;
                }
                size += n;
            }
            return ByteBuffer.wrap(out, 0, size).slice();
        }
    }

    static ApiException tooLarge(int limit) {
        return new ApiException(Errors.CORRUPT_MESSAGE, "decompressed records exceed the limit of " + limit + " bytes");
    }

    /** An InputStream over a ByteBuffer without copying it. */
    static final class ByteBufferInputStream extends InputStream {
        private final ByteBuffer buffer;

        ByteBufferInputStream(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return buffer.remaining();
        }
    }
}
