package io.fjord.protocol.types;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A tagged field that this version of Fjord does not know (KIP-482): kept as its tag and raw
 * payload when a message is read, and written back unchanged, in tag order, when it is written.
 *
 * <p>Immutable value; {@link #data} is defensively copied on the way in and out.
 */
public record RawTaggedField(int tag, byte[] data) {

    public RawTaggedField {
        if (tag < 0) {
            throw new IllegalArgumentException("tag must be >= 0, was " + tag);
        }
        data = Objects.requireNonNull(data, "data").clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The payload length in bytes, without copying. */
    public int size() {
        return data.length;
    }

    /** Bytes this field takes in a tagged-field section: tag, size and payload. */
    public int wireSize() {
        return Varint.sizeOfUnsignedVarint(tag) + Varint.sizeOfUnsignedVarint(data.length) + data.length;
    }

    /** Writes tag, size and payload. */
    public void writeTo(MessageWriter writer) {
        writer.writeUnsignedVarint(tag);
        writer.writeUnsignedVarint(data.length);
        writer.writeBytes(data);
    }

    /**
     * Writes the fields of {@code fields} from index {@code from} whose tag is below
     * {@code tagExclusive}, and returns the index of the first field not written. Generated
     * {@code write} methods call this before each known tagged field, so unknown and known fields
     * come out merged in ascending tag order. {@code fields} may be null (no unknown fields).
     */
    public static int writeBelow(MessageWriter writer, List<RawTaggedField> fields, int from, int tagExclusive) {
        if (fields == null) {
            return from;
        }
        int index = from;
        while (index < fields.size() && fields.get(index).tag < tagExclusive) {
            fields.get(index).writeTo(writer);
            index++;
        }
        return index;
    }

    /** Writes the fields of {@code fields} from index {@code from} to the end; {@code fields} may be null. */
    public static void writeFrom(MessageWriter writer, List<RawTaggedField> fields, int from) {
        if (fields == null) {
            return;
        }
        for (int index = from; index < fields.size(); index++) {
            fields.get(index).writeTo(writer);
        }
    }

    /** Wire size of all of {@code fields} (null means none). */
    public static int wireSizeOf(List<RawTaggedField> fields) {
        if (fields == null) {
            return 0;
        }
        int size = 0;
        for (RawTaggedField field : fields) {
            size += field.wireSize();
        }
        return size;
    }

    /** Number of {@code fields} (null means none). */
    public static int countOf(List<RawTaggedField> fields) {
        return fields == null ? 0 : fields.size();
    }

    /** Equality where a null list and an empty list are the same (both mean "no unknown fields"). */
    public static boolean listsEqual(List<RawTaggedField> a, List<RawTaggedField> b) {
        boolean aEmpty = a == null || a.isEmpty();
        boolean bEmpty = b == null || b.isEmpty();
        if (aEmpty || bEmpty) {
            return aEmpty && bEmpty;
        }
        return a.equals(b);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawTaggedField that && tag == that.tag && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * tag + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RawTaggedField(tag=" + tag + ", size=" + data.length + ")";
    }
}
