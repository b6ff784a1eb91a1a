package io.fjord.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one record batch v2. Set the batch properties first (each setter returns this), then
 * {@link #append} records, then {@link #build()}. Used by tests, by the broker for control batches
 * and by Fjord's client. Not thread-safe; one builder per batch.
 *
 * <p>Records are encoded uncompressed into a growing heap array, then compressed as one blob when
 * the batch is built; the header's CRC is computed last.
 */
public final class MemoryRecordsBuilder {

    private CompressionType compression = CompressionType.NONE;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long logAppendTimeMs = RecordBatchView.NO_TIMESTAMP;
    private long baseOffset;
    private int partitionLeaderEpoch = RecordBatchView.NO_PARTITION_LEADER_EPOCH;
    private long producerId = RecordBatchView.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatchView.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatchView.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;

    private byte[] records = new byte[256];
    private int recordsSize;
    private int count;
    private int lastOffsetDelta = -1;
    private long baseTimestamp = RecordBatchView.NO_TIMESTAMP;
    private long maxTimestamp = RecordBatchView.NO_TIMESTAMP;

    public static MemoryRecordsBuilder builder() {
        return new MemoryRecordsBuilder();
    }

    /** A control batch holding one COMMIT or ABORT marker for {@code producerId}. */
    public static MemoryRecords endTxnMarker(long producerId, short producerEpoch, long timestampMs, EndTxnMarker marker) {
        MemoryRecordsBuilder builder = builder().producer(producerId, producerEpoch, RecordBatchView.NO_SEQUENCE).transactional(true);
        builder.control = true;
        builder.append(timestampMs, marker.type().keyBytes(), marker.valueBytes(), List.of());
        return builder.build();
    }

    public MemoryRecordsBuilder compression(CompressionType type) {
        this.compression = type;
        return this;
    }

    /** LogAppendTime batches carry {@code logAppendTimeMs} as their max timestamp. */
    public MemoryRecordsBuilder logAppendTime(long logAppendTimeMs) {
        this.timestampType = TimestampType.LOG_APPEND_TIME;
        this.logAppendTimeMs = logAppendTimeMs;
        return this;
    }

    public MemoryRecordsBuilder baseOffset(long baseOffset) {
        this.baseOffset = baseOffset;
        return this;
    }

    public MemoryRecordsBuilder partitionLeaderEpoch(int epoch) {
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    public MemoryRecordsBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public MemoryRecordsBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    public MemoryRecordsBuilder append(long timestamp, String key, String value) {
        return append(timestamp, key == null ? null : utf8(key), value == null ? null : utf8(value), List.of());
    }

    public MemoryRecordsBuilder append(long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {
        return appendWithOffsetDelta(lastOffsetDelta + 1, timestamp, key, value, headers);
    }

    /** Appends with an explicit offset delta; tests use it to build batches with gaps. */
    public MemoryRecordsBuilder appendWithOffsetDelta(int offsetDelta, long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {
        if (count == 0) {
            baseTimestamp = timestamp;
        }
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        long timestampDelta = timestamp - baseTimestamp;
        int bodySize = 1 + Varint.sizeOfVarlong(timestampDelta) + Varint.sizeOfVarint(offsetDelta)
            + sizeOfBytes(key) + sizeOfBytes(value) + Varint.sizeOfVarint(headers.size());
        byte[][] headerKeys = new byte[headers.size()][];
        for (int i = 0; i < headers.size(); i++) {
            headerKeys[i] = headers.get(i).key().getBytes(StandardCharsets.UTF_8);
            bodySize += Varint.sizeOfVarint(headerKeys[i].length) + headerKeys[i].length + sizeOfBytes(headers.get(i).value());
        }
        ByteBuffer out = reserve(Varint.sizeOfVarint(bodySize) + bodySize);
        Varint.writeVarint(bodySize, out);
        out.put((byte) 0);
        Varint.writeVarlong(timestampDelta, out);
        Varint.writeVarint(offsetDelta, out);
        writeBytes(key, out);
        writeBytes(value, out);
        Varint.writeVarint(headers.size(), out);
        for (int i = 0; i < headers.size(); i++) {
            Varint.writeVarint(headerKeys[i].length, out);
            out.put(headerKeys[i]);
            writeBytes(headers.get(i).value(), out);
        }
        recordsSize = out.position();
        count++;
        lastOffsetDelta = offsetDelta;
        return this;
    }

    public int recordCount() {
        return count;
    }

    /** The finished batch, CRC included. */
    public MemoryRecords build() {
        if (count == 0) {
            throw new IllegalStateException("a batch needs at least one record");
        }
        ByteBuffer body = ByteBuffer.wrap(records, 0, recordsSize);
        if (compression != CompressionType.NONE) {
            body = compression.compress(body);
        }
        ByteBuffer batch = ByteBuffer.allocate(RecordBatchView.RECORDS_OFFSET + body.remaining());
        int attributes = compression.id()
            | (timestampType == TimestampType.LOG_APPEND_TIME ? 0x08 : 0)
            | (transactional ? 0x10 : 0)
            | (control ? 0x20 : 0);
        batch.putLong(baseOffset)
            .putInt(batch.capacity() - RecordBatchView.LOG_OVERHEAD)
            .putInt(partitionLeaderEpoch)
            .put(RecordBatchView.MAGIC_V2)
            .putInt(0)
            .putShort((short) attributes)
            .putInt(lastOffsetDelta)
            .putLong(baseTimestamp)
            .putLong(timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTimeMs : maxTimestamp)
            .putLong(producerId)
            .putShort(producerEpoch)
            .putInt(baseSequence)
            .putInt(count)
            .put(body);
        batch.flip();
        RecordBatchView view = new RecordBatchView(batch, 0);
        batch.putInt(RecordBatchView.CRC_OFFSET, (int) view.computeChecksum());
        return new MemoryRecords(batch);
    }

    private ByteBuffer reserve(int bytes) {
        if (recordsSize + bytes > records.length) {
            records = Arrays.copyOf(records, Math.max(records.length * 2, recordsSize + bytes));
        }
        return ByteBuffer.wrap(records, recordsSize, bytes);
    }

    private static int sizeOfBytes(ByteBuffer bytes) {
        return bytes == null ? 1 : Varint.sizeOfVarint(bytes.remaining()) + bytes.remaining();
    }

    private static void writeBytes(ByteBuffer bytes, ByteBuffer out) {
        if (bytes == null) {
            Varint.writeVarint(-1, out);
            return;
        }
        Varint.writeVarint(bytes.remaining(), out);
        out.put(bytes.duplicate());
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
