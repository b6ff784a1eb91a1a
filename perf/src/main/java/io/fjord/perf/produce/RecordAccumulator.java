package io.fjord.perf.produce;

import io.fjord.record.CompressionType;
import io.fjord.record.RecordBatchView;
import io.fjord.record.Varint;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Gathers records into per-partition record batches v2 (PROTOCOL.md §4) and hands out the ready
 * ones, as Kafka's producer does with {@code batch.size} and {@code linger.ms}.
 *
 * <p>A batch is ready when it is full (the next record would take it past the batch size), when it
 * has waited {@code lingerNs} since its first record, or when the run is flushing. Full batches are
 * closed at once; a lingering one is closed when drained. {@link #drain} takes at most one batch per
 * partition per request, oldest first, like Kafka's sender. Compressed batches are filled until
 * their <em>estimated</em> compressed size reaches the batch size; the estimate is a moving average
 * of the ratios seen so far, starting at 1 (no gain).
 *
 * <p>Memory is bounded like Kafka's {@code buffer.memory}: at most {@code maxBatches} batches
 * exist (open, queued, in flight or awaiting their ack); {@link #canAppend} says whether one more
 * record fits. Batches are pooled and reused, records are encoded straight into the batch's array,
 * so appending allocates nothing.
 *
 * <p>Owned by the produce loop's thread; not thread-safe.
 */
public final class RecordAccumulator {

    /** Extra room per record for varints (length, timestamp delta, offset delta, value length). */
    private static final int MAX_RECORD_OVERHEAD_BYTES = 5 + 1 + 10 + 5 + 1 + 5 + 1;
    private static final double RATIO_SAFETY_MARGIN = 1.05;
    private static final double MIN_COMPRESSION_RATIO = 0.05;
    /** Per-partition overhead in a Produce request besides the batch: index, records length, tagged fields. */
    private static final int PARTITION_REQUEST_OVERHEAD_BYTES = 16;

    private final int batchSizeBytes;
    private final CompressionType compression;
    private final long lingerNs;
    private final int maxBatches;
    private final List<ArrayDeque<ProducerBatch>> queues;
    private final ArrayDeque<ProducerBatch> free;
    private final CRC32C crc = new CRC32C();
    private final CompressionSink sink = new CompressionSink();
    private int allocatedBatches;
    private int queuedBatches;
    private double compressionRatio = 1.0;

    public RecordAccumulator(int partitionCount, int batchSizeBytes, CompressionType compression, long lingerNs, long bufferMemoryBytes) {
        if (partitionCount < 1 || batchSizeBytes < 1 || lingerNs < 0 || bufferMemoryBytes < batchSizeBytes) {
            throw new IllegalArgumentException("invalid accumulator settings: partitions " + partitionCount + ", batch size "
                + batchSizeBytes + ", linger " + lingerNs + " ns, buffer memory " + bufferMemoryBytes);
        }
        this.batchSizeBytes = batchSizeBytes;
        this.compression = compression;
        this.lingerNs = lingerNs;
        // At least two batches per partition, so that one can fill while another is in flight.
        this.maxBatches = (int) Math.max(2L * partitionCount, Math.min(Integer.MAX_VALUE, bufferMemoryBytes / batchSizeBytes));
        List<ArrayDeque<ProducerBatch>> perPartition = new ArrayList<>(partitionCount);
        for (int i = 0; i < partitionCount; i++) {
            perPartition.add(new ArrayDeque<>());
        }
        this.queues = List.copyOf(perPartition);
        this.free = new ArrayDeque<>();
    }

    public int maxBatches() {
        return maxBatches;
    }

    /** Batches queued (open or closed) and not yet drained. */
    public int queuedBatches() {
        return queuedBatches;
    }

    /** True when a record can be appended to {@code partition} now without exceeding the memory bound. */
    public boolean canAppend(int partition) {
        ProducerBatch last = queues.get(partition).peekLast();
        return (last != null && !last.closed) || allocatedBatches < maxBatches || !free.isEmpty();
    }

    /**
     * Appends one keyless record with {@code length} bytes of {@code value} from {@code offset}.
     * Returns true when this record filled its batch (the batch is then closed and ready).
     */
    public boolean append(int partition, byte[] value, int offset, int length, long nowNs, long nowMs, boolean warmup) {
        ArrayDeque<ProducerBatch> queue = queues.get(partition);
        ProducerBatch batch = queue.peekLast();
        if (batch == null || batch.closed) {
            batch = newBatch(partition, nowNs, nowMs);
            queue.addLast(batch);
            queuedBatches++;
        }
        writeRecord(batch, value, offset, length, nowMs);
        batch.sendNs[batch.recordCount] = nowNs;
        batch.recordCount++;
        if (warmup) {
            batch.warmupRecords++;
        }
        if (batch.recordsBytes + maxRecordBytes(length) > recordsLimitBytes()) {
            close(batch);
            return true;
        }
        return false;
    }

    private ProducerBatch newBatch(int partition, long nowNs, long nowMs) {
        ProducerBatch batch = free.pollFirst();
        if (batch == null) {
            if (allocatedBatches >= maxBatches) {
                throw new IllegalStateException("no batch free: check canAppend first");
            }
            batch = new ProducerBatch(batchSizeBytes + MAX_RECORD_OVERHEAD_BYTES);
            allocatedBatches++;
        }
        batch.reset(partition, nowNs, nowMs);
        return batch;
    }

    /**
     * Encodes one record (PROTOCOL.md §4.3): length varint, attributes 0, timestamp delta varlong,
     * offset delta varint, key length -1 (null), value length varint, value, header count 0.
     */
    private static void writeRecord(ProducerBatch batch, byte[] value, int offset, int length, long nowMs) {
        long timestampDelta = nowMs - batch.baseTimestampMs;
        int offsetDelta = batch.recordCount;
        int bodyBytes = 1 + Varint.sizeOfVarlong(timestampDelta) + Varint.sizeOfVarint(offsetDelta) + 1
            + Varint.sizeOfVarint(length) + length + 1;
        batch.ensureRoom(Varint.sizeOfVarint(bodyBytes) + bodyBytes);
        ByteBuffer out = batch.view;
        out.position(RecordBatchView.RECORDS_OFFSET + batch.recordsBytes);
        Varint.writeVarint(bodyBytes, out);
        out.put((byte) 0);
        Varint.writeVarlong(timestampDelta, out);
        Varint.writeVarint(offsetDelta, out);
        Varint.writeVarint(-1, out);
        Varint.writeVarint(length, out);
        out.put(value, offset, length);
        Varint.writeVarint(0, out);
        batch.recordsBytes = out.position() - RecordBatchView.RECORDS_OFFSET;
        if (nowMs > batch.maxTimestampMs) {
            batch.maxTimestampMs = nowMs;
        }
    }

    private static int maxRecordBytes(int valueBytes) {
        return valueBytes + MAX_RECORD_OVERHEAD_BYTES;
    }

    /** How many uncompressed record bytes a batch may gather: the batch size less the header, scaled by the compression estimate. */
    int recordsLimitBytes() {
        int plain = batchSizeBytes - RecordBatchView.RECORDS_OFFSET;
        if (compression == CompressionType.NONE) {
            return plain;
        }
        return (int) Math.min(Integer.MAX_VALUE / 2, plain / (compressionRatio * RATIO_SAFETY_MARGIN));
    }

    /** Writes the header and CRC (compressing first if needed); the batch is then wire-ready and appends go to a new one. */
    void close(ProducerBatch batch) {
        if (batch.closed) {
            return;
        }
        if (compression != CompressionType.NONE) {
            compress(batch);
        } else {
            batch.wireSizeBytes = RecordBatchView.RECORDS_OFFSET + batch.recordsBytes;
        }
        ByteBuffer header = batch.view.clear();
        header.putLong(0L)
            .putInt(batch.wireSizeBytes - RecordBatchView.LOG_OVERHEAD)
            .putInt(RecordBatchView.NO_PARTITION_LEADER_EPOCH)
            .put(RecordBatchView.MAGIC_V2)
            .putInt(0)
            .putShort((short) compression.id())
            .putInt(batch.recordCount - 1)
            .putLong(batch.baseTimestampMs)
            .putLong(batch.maxTimestampMs)
            .putLong(RecordBatchView.NO_PRODUCER_ID)
            .putShort(RecordBatchView.NO_PRODUCER_EPOCH)
            .putInt(RecordBatchView.NO_SEQUENCE)
            .putInt(batch.recordCount);
        crc.reset();
        crc.update(batch.buffer, RecordBatchView.ATTRIBUTES_OFFSET, batch.wireSizeBytes - RecordBatchView.ATTRIBUTES_OFFSET);
        header.putInt(RecordBatchView.CRC_OFFSET, (int) crc.getValue());
        batch.closed = true;
    }

    /** Compresses the records into the sink, then swaps arrays with it so neither is ever copied again. */
    private void compress(ProducerBatch batch) {
        sink.reset(RecordBatchView.RECORDS_OFFSET);
        try (OutputStream out = compression.wrapForOutput(sink)) {
            out.write(batch.buffer, RecordBatchView.RECORDS_OFFSET, batch.recordsBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing a " + compression.configName() + " batch", e);
        }
        double observed = (double) (sink.size - RecordBatchView.RECORDS_OFFSET) / Math.max(1, batch.recordsBytes);
        compressionRatio = Math.min(1.0, Math.max(MIN_COMPRESSION_RATIO, (compressionRatio + observed) / 2));
        batch.wireSizeBytes = sink.size;
        byte[] compressed = sink.buffer;
        sink.buffer = batch.buffer;
        batch.setBuffer(compressed);
    }

    /** True when {@code partition}'s oldest batch may be sent now. */
    public boolean isReady(int partition, long nowNs, boolean flush) {
        ProducerBatch first = queues.get(partition).peekFirst();
        return first != null && (first.closed || flush || queues.get(partition).size() > 1 || nowNs - first.createdNs >= lingerNs);
    }

    /**
     * The earliest time one of {@code partitions}' oldest batches becomes ready by linger; {@code nowNs}
     * if one is ready already, {@link Long#MAX_VALUE} if there is none.
     */
    public long nextReadyNs(int[] partitions, long nowNs) {
        long earliest = Long.MAX_VALUE;
        for (int partition : partitions) {
            ProducerBatch first = queues.get(partition).peekFirst();
            if (first == null) {
                continue;
            }
            if (first.closed || queues.get(partition).size() > 1) {
                return nowNs;
            }
            earliest = Math.min(earliest, first.createdNs + lingerNs);
        }
        return earliest;
    }

    /**
     * Moves the oldest ready batch of each of {@code partitions} into {@code out}, starting at
     * {@code startIndex} so no partition is always last, while the request stays within
     * {@code maxRequestBytes} (one batch always goes, however large). Returns the request's bytes.
     */
    public int drain(int[] partitions, int startIndex, long nowNs, boolean flush, int maxRequestBytes, List<ProducerBatch> out) {
        int requestBytes = 0;
        for (int i = 0; i < partitions.length; i++) {
            int partition = partitions[(startIndex + i) % partitions.length];
            if (!isReady(partition, nowNs, flush)) {
                continue;
            }
            ProducerBatch batch = queues.get(partition).peekFirst();
            close(batch);
            int bytes = batch.wireSizeBytes + PARTITION_REQUEST_OVERHEAD_BYTES;
            if (!out.isEmpty() && requestBytes + bytes > maxRequestBytes) {
                continue;
            }
            queues.get(partition).pollFirst();
            queuedBatches--;
            out.add(batch);
            requestBytes += bytes;
        }
        return requestBytes;
    }

    /** Returns an acknowledged batch to the pool. */
    public void release(ProducerBatch batch) {
        batch.partition = -1;
        free.addLast(batch);
    }

    /** The OutputStream compressed bytes land in; its array is swapped into the batch afterwards. */
    private static final class CompressionSink extends OutputStream {
        byte[] buffer = new byte[16 * 1024];
        int size;

        void reset(int reservedBytes) {
            size = reservedBytes;
            if (buffer.length < reservedBytes) {
                buffer = new byte[reservedBytes * 2];
            }
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(size + more, buffer.length * 2));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, size, length);
            size += length;
        }
    }
}
