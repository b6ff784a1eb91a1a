package io.fjord.protocol.types;

import io.fjord.common.Uuid;
import io.fjord.record.MemoryRecords;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Kafka protocol primitives from a heap or direct {@link ByteBuffer}, big-endian, from the
 * buffer's position to its limit. The caller's buffer is never moved: the reader works on a
 * duplicate, and {@link #position()} tells how far it got.
 *
 * <p>Hostile input is the norm here: every read checks the bytes actually remaining first, and
 * every length or element count is checked against them before anything is allocated (an array
 * element takes at least one byte, so a count larger than the remaining bytes is a lie). Failures
 * are {@link ProtocolException}s. Records are returned as {@link MemoryRecords} over a slice of the
 * input (no copy), so the input buffer must stay untouched while they are in use.
 *
 * <p>Not thread-safe; one reader decodes one frame on one thread.
 */
public final class MessageReader {

    private final ByteBuffer buffer;

    public MessageReader(ByteBuffer buffer) {
        this.buffer = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    /** Bytes not yet read. */
    public int remaining() {
        return buffer.remaining();
    }

    /** The reader's position in the underlying buffer (absolute, like {@link ByteBuffer#position()}). */
    public int position() {
        return buffer.position();
    }

    public byte readInt8() {
        require(1, "an int8");
        return buffer.get();
    }

    public short readInt16() {
        require(2, "an int16");
        return buffer.getShort();
    }

    public int readUnsignedInt16() {
        return Short.toUnsignedInt(readInt16());
    }

    public int readInt32() {
        require(4, "an int32");
        return buffer.getInt();
    }

    public long readUnsignedInt32() {
        return Integer.toUnsignedLong(readInt32());
    }

    public long readInt64() {
        require(8, "an int64");
        return buffer.getLong();
    }

    public double readDouble() {
        require(8, "a float64");
        return buffer.getDouble();
    }

    public Uuid readUuid() {
        require(16, "a uuid");
        return new Uuid(buffer.getLong(), buffer.getLong());
    }

    /** An unsigned LEB128 varint of at most 5 bytes; values above 2^31-1 come back negative (two's complement). */
    public int readUnsignedVarint() {
        int value = 0;
        for (int i = 0; i < Varint.MAX_VARINT_BYTES; i++) {
            byte b = readVarintByte();
            if (i == Varint.MAX_VARINT_BYTES - 1 && (b & 0xF0) != 0) {
                throw new ProtocolException("unsigned varint does not fit in 32 bits");
            }
            value |= (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return value;
            }
        }
        throw new ProtocolException("unsigned varint is longer than " + Varint.MAX_VARINT_BYTES + " bytes");
    }

    /** A zig-zag signed varint of at most 5 bytes. */
    public int readVarint() {
        int raw = readUnsignedVarint();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A zig-zag signed varlong of at most 10 bytes. */
    public long readVarlong() {
        long raw = 0;
        for (int i = 0; i < Varint.MAX_VARLONG_BYTES; i++) {
            byte b = readVarintByte();
            if (i == Varint.MAX_VARLONG_BYTES - 1 && (b & 0xFE) != 0) {
                throw new ProtocolException("varlong does not fit in 64 bits");
            }
            raw |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new ProtocolException("varlong is longer than " + Varint.MAX_VARLONG_BYTES + " bytes");
    }

    private byte readVarintByte() {
        if (!buffer.hasRemaining()) {
            throw new ProtocolException("varint is cut off at the end of the buffer");
        }
        return buffer.get();
    }

    /** {@code length} bytes of UTF-8; malformed sequences become U+FFFD, as in Kafka. */
    public String readString(int length) {
        requireLength(length, "string");
        String value;
        if (buffer.hasArray()) {
            value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, StandardCharsets.UTF_8);
            buffer.position(buffer.position() + length);
        } else {
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        return value;
    }

    /** A copy of the next {@code length} bytes. */
    public byte[] readBytes(int length) {
        requireLength(length, "bytes");
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    /** The next {@code length} bytes as records over a slice of the input (no copy). */
    public MemoryRecords readRecords(int length) {
        requireLength(length, "records");
        ByteBuffer slice = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        return new MemoryRecords(slice);
    }

    /**
     * A STRING (int16 length) or COMPACT_STRING (unsigned varint length + 1); null when the wire says
     * null. The caller decides whether null is legal for the field and version.
     */
    public String readNullableString(boolean compact) {
        int length = compact ? readCompactLength("string") : readInt16();
        if (length < 0) {
            return null;
        }
        if (length > Short.MAX_VALUE) {
            // Kafka caps every string at 32767 bytes, compact ones included.
            throw new ProtocolException("string length " + length + " exceeds " + Short.MAX_VALUE);
        }
        return readString(length);
    }

    /** BYTES (int32 length) or COMPACT_BYTES; null when the wire says null. */
    public byte[] readNullableBytes(boolean compact) {
        int length = compact ? readCompactLength("bytes") : readInt32();
        return length < 0 ? null : readBytes(length);
    }

    /** RECORDS (int32 length) or COMPACT_RECORDS; null when the wire says null. */
    public MemoryRecords readNullableRecords(boolean compact) {
        int length = compact ? readCompactLength("records") : readInt32();
        return length < 0 ? null : readRecords(length);
    }

    /**
     * An ARRAY (int32 count) or COMPACT_ARRAY element count; -1 for null. A count above the bytes
     * remaining is rejected here, before the caller allocates a list for it.
     */
    public int readArrayLength(boolean compact) {
        int count = compact ? readCompactLength("array") : readInt32();
        if (count < 0) {
            return -1;
        }
        if (count > buffer.remaining()) {
            throw new ProtocolException("array claims " + count + " elements but only " + buffer.remaining()
                + " bytes remain");
        }
        return count;
    }

    /**
     * Reads the {@code size}-byte payload of a tagged field this version does not know and adds it
     * to {@code fields}, creating the list when null. Returns the list.
     */
    public List<RawTaggedField> readUnknownTaggedField(List<RawTaggedField> fields, int tag, int size) {
        List<RawTaggedField> result = fields == null ? new ArrayList<>() : fields;
        result.add(new RawTaggedField(tag, readBytes(size)));
        return result;
    }

    /** A tag number or tagged-field size: an unsigned varint that must fit in a non-negative int. */
    public int readTaggedFieldHeader(String what) {
        int value = readUnsignedVarint();
        if (value < 0) {
            throw new ProtocolException("tagged field " + what + " " + Integer.toUnsignedString(value) + " is too large");
        }
        return value;
    }

    /** Throws unless at least {@code length} bytes remain; for tagged-field payloads. */
    public void requireRemaining(int length, String what) {
        requireLength(length, what);
    }

    // Compact lengths are "length + 1" so that 0 can mean null; a raw value above 2^31-1 is garbage.
    private int readCompactLength(String what) {
        int raw = readUnsignedVarint();
        if (raw < 0) {
            throw new ProtocolException(what + " length " + Integer.toUnsignedString(raw) + " is too large");
        }
        return raw - 1;
    }

    private void requireLength(int length, String what) {
        if (length < 0) {
            throw new ProtocolException(what + " length " + length + " is negative");
        }
        if (length > buffer.remaining()) {
            throw new ProtocolException(what + " claims " + length + " bytes but only " + buffer.remaining() + " remain");
        }
    }

    private void require(int bytes, String what) {
        if (buffer.remaining() < bytes) {
            throw new ProtocolException("buffer ends inside " + what + ": need " + bytes + " bytes, "
                + buffer.remaining() + " remain");
        }
    }
}
