package io.fjord.record;

import java.nio.ByteBuffer;

/**
 * The type carried in the key of a control record (PROTOCOL.md §4.4): int16 version (0) then
 * int16 type. Unknown types (KRaft-internal ones or future ones) map to {@link #UNKNOWN} so readers
 * can skip them, as Kafka's clients do.
 */
public enum ControlRecordType {
    ABORT((short) 0),
    COMMIT((short) 1),
    LEADER_CHANGE((short) 2),
    SNAPSHOT_HEADER((short) 3),
    SNAPSHOT_FOOTER((short) 4),
    KRAFT_VERSION((short) 5),
    KRAFT_VOTERS((short) 6),
    UNKNOWN((short) -1);

    /** Size of the control record key: version and type, two int16s. */
    public static final int KEY_SIZE = 4;
    public static final short CURRENT_KEY_VERSION = 0;

    private final short type;

    ControlRecordType(short type) {
        this.type = type;
    }

    public short type() {
        return type;
    }

    public static ControlRecordType fromType(short type) {
        for (ControlRecordType value : values()) {
            if (value.type == type && value != UNKNOWN) {
                return value;
            }
        }
        return UNKNOWN;
    }

    /** Parses a control record key; a key shorter than 4 bytes is {@link #UNKNOWN}. */
    public static ControlRecordType parseKey(ByteBuffer key) {
        if (key == null || key.remaining() < KEY_SIZE) {
            return UNKNOWN;
        }
        return fromType(key.getShort(key.position() + 2));
    }

    /** The 4-byte record key for this type. */
    public ByteBuffer keyBytes() {
        ByteBuffer key = ByteBuffer.allocate(KEY_SIZE);
        key.putShort(CURRENT_KEY_VERSION).putShort(type);
        return key.flip();
    }
}
