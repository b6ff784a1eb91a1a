package io.fjord.protocol.types;

import io.fjord.common.Uuid;
import io.fjord.record.BaseRecords;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where generated {@code write} methods put their bytes, big-endian. Implementations supply the
 * fixed-width primitives, raw bytes and {@link #writeRecords}; everything else is derived here.
 *
 * <p>{@link #writeRecords} is separate from {@link #writeBytes} on purpose: the heap writer
 * ({@link ByteBufferMessageWriter}) copies record bytes, while the broker's network writer turns a
 * {@code FileRecords} into a sendfile region instead of reading it into memory.
 */
public interface MessageWriter {

    void writeInt8(byte value);

    void writeInt16(short value);

    void writeInt32(int value);

    void writeInt64(long value);

    void writeDouble(double value);

    /** Writes all of {@code bytes}. */
    void writeBytes(byte[] bytes);

    /** Writes the bytes between {@code bytes}' position and limit without moving its position. */
    void writeBytes(ByteBuffer bytes);

    /** Writes the record bytes, {@code records.sizeInBytes()} of them, with no length prefix. */
    void writeRecords(BaseRecords records);

    default void writeUuid(Uuid uuid) {
        writeInt64(uuid.mostSignificantBits());
        writeInt64(uuid.leastSignificantBits());
    }

    /** A uint16; throws {@link IllegalArgumentException} outside [0, 65535]. */
    default void writeUnsignedInt16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("uint16 value out of range: " + value);
        }
        writeInt16((short) value);
    }

    /** A uint32; throws {@link IllegalArgumentException} outside [0, 2^32-1]. */
    default void writeUnsignedInt32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("uint32 value out of range: " + value);
        }
        writeInt32((int) value);
    }

    /** Unsigned LEB128; a negative int is written as its unsigned 32-bit value (5 bytes). */
    default void writeUnsignedVarint(int value) {
        int remaining = value;
        while ((remaining & ~0x7F) != 0) {
            writeInt8((byte) ((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        writeInt8((byte) remaining);
    }

    /** Zig-zag signed varint (record batch encoding). */
    default void writeVarint(int value) {
        writeUnsignedVarint(Varint.zigZag(value));
    }

    /** Zig-zag signed varlong (record batch encoding). */
    default void writeVarlong(long value) {
        long remaining = (value << 1) ^ (value >> 63);
        while ((remaining & ~0x7FL) != 0) {
            writeInt8((byte) ((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        writeInt8((byte) remaining);
    }

    /** STRING / NULLABLE_STRING (int16 length, -1 = null) or COMPACT_STRING (varint length + 1, 0 = null). */
    default void writeNullableString(String value, boolean compact) {
        if (value == null) {
            writeNullLength(compact, true);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("string of " + bytes.length + " UTF-8 bytes exceeds " + Short.MAX_VALUE);
        }
        if (compact) {
            writeUnsignedVarint(bytes.length + 1);
        } else {
            writeInt16((short) bytes.length);
        }
        writeBytes(bytes);
    }

    /** BYTES / NULLABLE_BYTES (int32 length, -1 = null) or COMPACT_BYTES. */
    default void writeNullableBytes(byte[] value, boolean compact) {
        if (value == null) {
            writeNullLength(compact, false);
            return;
        }
        writeLength(value.length, compact);
        writeBytes(value);
    }

    /** RECORDS (int32 length, -1 = null) or COMPACT_RECORDS, then the records via {@link #writeRecords}. */
    default void writeNullableRecords(BaseRecords value, boolean compact) {
        if (value == null) {
            writeNullLength(compact, false);
            return;
        }
        writeLength(value.sizeInBytes(), compact);
        writeRecords(value);
    }

    /** An ARRAY / COMPACT_ARRAY element count; {@code -1} means null. */
    default void writeArrayLength(int count, boolean compact) {
        if (count < 0) {
            writeNullLength(compact, false);
        } else {
            writeLength(count, compact);
        }
    }

    private void writeLength(int length, boolean compact) {
        if (compact) {
            writeUnsignedVarint(length + 1);
        } else {
            writeInt32(length);
        }
    }

    private void writeNullLength(boolean compact, boolean int16) {
        if (compact) {
            writeUnsignedVarint(0);
        } else if (int16) {
            writeInt16((short) -1);
        } else {
            writeInt32(-1);
        }
    }
}
