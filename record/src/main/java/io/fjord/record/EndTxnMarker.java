package io.fjord.record;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.nio.ByteBuffer;

/**
 * A transaction end marker: the control record a transaction coordinator writes to every partition
 * of a transaction. Key: int16 version 0, int16 type (0 ABORT, 1 COMMIT). Value ({@code EndTxnMarker}
 * spec): int16 version 0, int32 coordinator epoch.
 */
public record EndTxnMarker(ControlRecordType type, int coordinatorEpoch) {

    public static final int VALUE_SIZE = 6;

    public EndTxnMarker {
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            throw new IllegalArgumentException("an end transaction marker is COMMIT or ABORT, not " + type);
        }
    }

    public ByteBuffer valueBytes() {
        ByteBuffer value = ByteBuffer.allocate(VALUE_SIZE);
        value.putShort((short) 0).putInt(coordinatorEpoch);
        return value.flip();
    }

    /** Reads a marker from a control record; throws CORRUPT_MESSAGE when it is not one. */
    public static EndTxnMarker fromRecord(Record record) {
        ControlRecordType type = ControlRecordType.parseKey(record.key());
        ByteBuffer value = record.value();
        if ((type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) || value == null || value.remaining() < VALUE_SIZE) {
            throw new ApiException(Errors.CORRUPT_MESSAGE, "not a valid end transaction marker at offset " + record.offset());
        }
        return new EndTxnMarker(type, value.getInt(value.position() + 2));
    }
}
