package io.fjord.protocol.types;

import io.fjord.record.BaseRecords;

/**
 * Wire sizes of the variable-length values that {@link MessageWriter} writes, computed without
 * encoding anything. Generated {@code size} methods add these up; they must agree byte for byte
 * with the writer.
 */
public final class MessageSizes {

    private MessageSizes() {
    }

    /** Bytes {@code value.getBytes(UTF_8)} would produce, without allocating them. */
    public static int utf8Length(String value) {
        int length = value.length();
        int bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                // The JDK encoder replaces an unpaired surrogate with '?', one byte.
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    public static int sizeOfNullableString(String value, boolean compact) {
        if (value == null) {
            return compact ? 1 : 2;
        }
        int length = utf8Length(value);
        return (compact ? Varint.sizeOfUnsignedVarint(length + 1) : 2) + length;
    }

    public static int sizeOfNullableBytes(byte[] value, boolean compact) {
        return value == null ? sizeOfLength(-1, compact) : sizeOfLength(value.length, compact) + value.length;
    }

    public static int sizeOfNullableRecords(BaseRecords value, boolean compact) {
        if (value == null) {
            return sizeOfLength(-1, compact);
        }
        int length = value.sizeInBytes();
        return sizeOfLength(length, compact) + length;
    }

    /** Size of an array's element count; {@code -1} means null. */
    public static int sizeOfArrayLength(int count, boolean compact) {
        return sizeOfLength(count, compact);
    }

    private static int sizeOfLength(int length, boolean compact) {
        if (!compact) {
            return 4;
        }
        return length < 0 ? 1 : Varint.sizeOfUnsignedVarint(length + 1);
    }
}
