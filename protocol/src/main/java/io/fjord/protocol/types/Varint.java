package io.fjord.protocol.types;

/**
 * Sizes of the variable-length integers of the Kafka protocol: unsigned varints (LEB128, at most
 * 5 bytes for 32 bits) and the zig-zag signed varint/varlong of record batches (at most 5 and 10
 * bytes). Encoding and decoding live in {@link MessageWriter} and {@link MessageReader}.
 */
public final class Varint {

    /** Longest legal encoding of a 32-bit varint. */
    public static final int MAX_VARINT_BYTES = 5;
    /** Longest legal encoding of a 64-bit varlong. */
    public static final int MAX_VARLONG_BYTES = 10;

    private Varint() {
    }

    /** Bytes {@code value} takes as an unsigned varint; negative ints are treated as their unsigned 32-bit value. */
    public static int sizeOfUnsignedVarint(int value) {
        // Each byte carries 7 bits; 32 - leading zeros is the number of significant bits.
        int bits = 32 - Integer.numberOfLeadingZeros(value);
        return bits == 0 ? 1 : (bits + 6) / 7;
    }

    /** Bytes {@code value} takes as a zig-zag signed varint. */
    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint(zigZag(value));
    }

    /** Bytes {@code value} takes as a zig-zag signed varlong. */
    public static int sizeOfVarlong(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        int bits = 64 - Long.numberOfLeadingZeros(zigZag);
        return bits == 0 ? 1 : (bits + 6) / 7;
    }

    static int zigZag(int value) {
        return (value << 1) ^ (value >> 31);
    }
}
