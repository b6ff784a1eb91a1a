package io.fjord.record;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.nio.ByteBuffer;

/**
 * Zig-zag signed varints and varlongs as record batch v2 uses them inside records (PROTOCOL.md
 * §4.3): 7-bit groups, low group first, the high bit of each byte says "more bytes follow".
 * A varint is at most 5 bytes, a varlong at most 10; longer encodings are rejected as corrupt
 * instead of being read forever. Stateless; any thread.
 */
public final class Varint {

    private Varint() {
    }

    /** Reads a zig-zag varint at the buffer's position and advances it. */
    public static int readVarint(ByteBuffer buffer) {
        int raw = 0;
        int shift = 0;
        while (true) {
            ensureByte(buffer);
            byte b = buffer.get();
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
            shift += 7;
            if (shift > 28) {
                throw new ApiException(Errors.CORRUPT_MESSAGE, "varint is longer than 5 bytes");
            }
        }
    }

    /** Reads a zig-zag varlong at the buffer's position and advances it. */
    public static long readVarlong(ByteBuffer buffer) {
        long raw = 0;
        int shift = 0;
        while (true) {
            ensureByte(buffer);
            byte b = buffer.get();
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
            shift += 7;
            if (shift > 63) {
                throw new ApiException(Errors.CORRUPT_MESSAGE, "varlong is longer than 10 bytes");
            }
        }
    }

    public static void writeVarint(int value, ByteBuffer buffer) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            buffer.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    public static void writeVarlong(long value, ByteBuffer buffer) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0L) {
            buffer.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    public static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & 0xffffff80) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    public static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & 0xffffffffffffff80L) != 0L) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    private static void ensureByte(ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            throw new ApiException(Errors.CORRUPT_MESSAGE, "record ends inside a varint");
        }
    }
}
