package io.fjord.perf.produce;

import io.fjord.record.RecordBatchView;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One record batch v2 being filled for one partition, then sent, then acknowledged. Pooled by the
 * {@link RecordAccumulator}: the arrays survive from one use to the next, so steady-state
 * production allocates nothing per record.
 *
 * <p>{@link #buffer} holds the batch exactly as it goes on the wire: the 61-byte header (written
 * when the batch is closed) followed by the records; for a compressed batch the records are
 * gathered uncompressed at the same place and replaced by the compressed blob on close.
 * {@link #sendNs} keeps each record's append time for its latency.
 *
 * <p>States: OPEN (records appended) → CLOSED (header and CRC written; {@link #wireSizeBytes} set)
 * → in a request → acknowledged and {@link #reset} for the next use.
 */
final class ProducerBatch {

    byte[] buffer;
    /** A heap view of {@link #buffer} for the varint writers; replaced whenever the array is. */
    ByteBuffer view;
    long[] sendNs = new long[64];
    int partition = -1;
    int recordCount;
    /** Bytes of encoded records after the header (uncompressed while open). */
    int recordsBytes;
    int wireSizeBytes;
    boolean closed;
    long createdNs;
    long baseTimestampMs;
    long maxTimestampMs;
    /** The first {@code warmupRecords} records are warm-up: sent but kept out of the figures. */
    int warmupRecords;

    ProducerBatch(int initialCapacityBytes) {
        setBuffer(new byte[Math.max(initialCapacityBytes, RecordBatchView.RECORDS_OFFSET + 64)]);
    }

    void setBuffer(byte[] buffer) {
        this.buffer = buffer;
        this.view = ByteBuffer.wrap(buffer);
    }

    void reset(int partition, long nowNs, long nowMs) {
        this.partition = partition;
        this.recordCount = 0;
        this.recordsBytes = 0;
        this.wireSizeBytes = 0;
        this.closed = false;
        this.createdNs = nowNs;
        this.baseTimestampMs = nowMs;
        this.maxTimestampMs = nowMs;
        this.warmupRecords = 0;
    }

    /** Makes room for {@code recordBytes} more record bytes and one more send time. */
    void ensureRoom(int recordBytes) {
        int needed = RecordBatchView.RECORDS_OFFSET + recordsBytes + recordBytes;
        if (needed > buffer.length) {
            setBuffer(Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2)));
        }
        if (recordCount == sendNs.length) {
            sendNs = Arrays.copyOf(sendNs, sendNs.length * 2);
        }
    }

    @Override
    public String toString() {
        return "ProducerBatch(partition=" + partition + ", records=" + recordCount + ", bytes=" + wireSizeBytes + ", closed=" + closed + ")";
    }
}
