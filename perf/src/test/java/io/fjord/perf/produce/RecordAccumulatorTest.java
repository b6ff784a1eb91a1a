package io.fjord.perf.produce;

import io.fjord.record.CompressionType;
import io.fjord.record.MemoryRecords;
import io.fjord.record.Record;
import io.fjord.record.RecordBatchView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordAccumulatorTest {

    private static final long LINGER_NS = 5_000_000;
    private static final long T0_MS = 1_700_000_000_000L;
    private final PayloadSource payload = new PayloadSource(100, 1);

    private static RecordBatchView onlyBatch(ProducerBatch batch) {
        MemoryRecords records = new MemoryRecords(ByteBuffer.wrap(batch.buffer, 0, batch.wireSizeBytes));
        List<RecordBatchView> batches = records.batchList();
        assertThat(batches).hasSize(1);
        records.ensureValid();
        return batches.get(0);
    }

    /** Appends until the batch fills; returns the values appended, in order. */
    private List<String> fill(RecordAccumulator accumulator, int partition, long nowNs) {
        List<String> values = new ArrayList<>();
        boolean full = false;
        while (!full) {
            int offset = payload.nextOffset();
            values.add(new String(payload.pool(), offset, 100, StandardCharsets.US_ASCII));
            full = accumulator.append(partition, payload.pool(), offset, 100, nowNs, T0_MS + values.size(), false);
        }
        return values;
    }

    private static List<ProducerBatch> drain(RecordAccumulator accumulator, int[] partitions, long nowNs, boolean flush, int maxRequestBytes) {
        List<ProducerBatch> out = new ArrayList<>();
        accumulator.drain(partitions, 0, nowNs, flush, maxRequestBytes, out);
        return out;
    }

    @Test
    void shouldCloseAFullBatchThatDecodesToTheAppendedRecords() {
        RecordAccumulator accumulator = new RecordAccumulator(1, 16384, CompressionType.NONE, LINGER_NS, 1 << 20);
        List<String> values = fill(accumulator, 0, 0);

        List<ProducerBatch> drained = drain(accumulator, new int[] {0}, 0, false, 1 << 20);
        assertThat(drained).hasSize(1);
        ProducerBatch batch = drained.get(0);
        assertThat(batch.wireSizeBytes).isLessThanOrEqualTo(16384).isGreaterThan(16384 - 200);
        RecordBatchView view = onlyBatch(batch);
        assertThat(view.recordsCount()).isEqualTo(values.size());
        assertThat(view.compressionType()).isEqualTo(CompressionType.NONE);
        assertThat(view.producerId()).isEqualTo(RecordBatchView.NO_PRODUCER_ID);
        assertThat(view.baseTimestamp()).isEqualTo(T0_MS + 1);
        assertThat(view.maxTimestamp()).isEqualTo(T0_MS + values.size());
        List<Record> records = view.recordList(1 << 20);
        for (int i = 0; i < records.size(); i++) {
            Record record = records.get(i);
            assertThat(record.offset()).isEqualTo(i);
            assertThat(record.key()).isNull();
            assertThat(StandardCharsets.US_ASCII.decode(record.value()).toString()).isEqualTo(values.get(i));
            assertThat(record.timestamp()).isEqualTo(T0_MS + i + 1);
            assertThat(record.headers()).isEmpty();
        }
    }

    @Test
    void shouldHoldAPartialBatchUntilItsLingerExpires() {
        RecordAccumulator accumulator = new RecordAccumulator(2, 16384, CompressionType.NONE, LINGER_NS, 1 << 20);
        accumulator.append(1, payload.pool(), payload.nextOffset(), 100, 1_000, T0_MS, false);
        int[] partitions = {0, 1};

        assertThat(accumulator.isReady(1, 1_000 + LINGER_NS - 1, false)).isFalse();
        assertThat(accumulator.nextReadyNs(partitions, 2_000)).isEqualTo(1_000 + LINGER_NS);
        assertThat(drain(accumulator, partitions, 1_000 + LINGER_NS - 1, false, 1 << 20)).isEmpty();

        List<ProducerBatch> drained = drain(accumulator, partitions, 1_000 + LINGER_NS, false, 1 << 20);
        assertThat(drained).hasSize(1);
        assertThat(onlyBatch(drained.get(0)).recordsCount()).isEqualTo(1);
        assertThat(accumulator.nextReadyNs(partitions, 2_000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldSendAPartialBatchAtOnceWhenFlushing() {
        RecordAccumulator accumulator = new RecordAccumulator(1, 16384, CompressionType.NONE, LINGER_NS, 1 << 20);
        accumulator.append(0, payload.pool(), payload.nextOffset(), 100, 1_000, T0_MS, false);
        assertThat(drain(accumulator, new int[] {0}, 1_000, true, 1 << 20)).hasSize(1);
    }

    @Test
    void shouldDrainOneBatchPerPartitionPerRequestOldestFirst() {
        RecordAccumulator accumulator = new RecordAccumulator(2, 4096, CompressionType.NONE, LINGER_NS, 1 << 20);
        fill(accumulator, 0, 0);
        fill(accumulator, 0, 0);
        fill(accumulator, 1, 0);
        assertThat(accumulator.queuedBatches()).isEqualTo(3);

        List<ProducerBatch> first = drain(accumulator, new int[] {0, 1}, 0, false, 1 << 20);
        assertThat(first).extracting(b -> b.partition).containsExactly(0, 1);
        List<ProducerBatch> second = drain(accumulator, new int[] {0, 1}, 0, false, 1 << 20);
        assertThat(second).extracting(b -> b.partition).containsExactly(0);
        assertThat(first.get(0).sendNs).isNotSameAs(second.get(0).sendNs);
        assertThat(accumulator.queuedBatches()).isZero();
    }

    @Test
    void shouldKeepARequestUnderMaxRequestBytesButAlwaysSendOneBatch() {
        RecordAccumulator accumulator = new RecordAccumulator(2, 16384, CompressionType.NONE, LINGER_NS, 1 << 20);
        fill(accumulator, 0, 0);
        fill(accumulator, 1, 0);
        assertThat(drain(accumulator, new int[] {0, 1}, 0, false, 20_000)).extracting(b -> b.partition).containsExactly(0);
        assertThat(drain(accumulator, new int[] {0, 1}, 0, false, 1024)).extracting(b -> b.partition).containsExactly(1);
    }

    @Test
    void shouldBoundBatchesByBufferMemoryAndReuseReleasedOnes() {
        RecordAccumulator accumulator = new RecordAccumulator(1, 4096, CompressionType.NONE, LINGER_NS, 4 * 4096);
        assertThat(accumulator.maxBatches()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(accumulator.canAppend(0)).isTrue();
            fill(accumulator, 0, 0);
        }
        assertThat(accumulator.canAppend(0)).isFalse();

        List<ProducerBatch> drained = drain(accumulator, new int[] {0}, 0, false, 1 << 20);
        assertThat(accumulator.canAppend(0)).as("a drained batch still holds memory until acknowledged").isFalse();
        accumulator.release(drained.get(0));
        assertThat(accumulator.canAppend(0)).isTrue();
        fill(accumulator, 0, 0);
        assertThat(accumulator.canAppend(0)).isFalse();
    }

    @Test
    void shouldCountWarmupRecordsPerBatchAndKeepSendTimes() {
        RecordAccumulator accumulator = new RecordAccumulator(1, 16384, CompressionType.NONE, LINGER_NS, 1 << 20);
        for (int i = 0; i < 300; i++) {
            accumulator.append(0, payload.pool(), payload.nextOffset(), 100, 1_000L + i, T0_MS, i < 3);
        }
        ProducerBatch batch = drain(accumulator, new int[] {0}, 0, true, 1 << 20).get(0);
        assertThat(batch.warmupRecords).isEqualTo(3);
        assertThat(batch.sendNs[0]).isEqualTo(1_000);
        assertThat(batch.sendNs[batch.recordCount - 1]).isEqualTo(1_000L + batch.recordCount - 1);
    }

    @Test
    void shouldGiveARecordLargerThanTheBatchSizeABatchOfItsOwn() {
        RecordAccumulator accumulator = new RecordAccumulator(1, 1024, CompressionType.NONE, LINGER_NS, 1 << 20);
        PayloadSource big = new PayloadSource(5000, 3);
        assertThat(accumulator.append(0, big.pool(), big.nextOffset(), 5000, 0, T0_MS, false)).isTrue();
        ProducerBatch batch = drain(accumulator, new int[] {0}, 0, false, 1 << 20).get(0);
        RecordBatchView view = onlyBatch(batch);
        assertThat(view.recordsCount()).isEqualTo(1);
        assertThat(view.recordList(1 << 20).get(0).value().remaining()).isEqualTo(5000);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void shouldCompressBatchesThatDecodeToTheAppendedRecords(CompressionType codec) {
        RecordAccumulator accumulator = new RecordAccumulator(1, 16384, codec, LINGER_NS, 1 << 20);
        for (int round = 0; round < 5; round++) {
            List<String> values = fill(accumulator, 0, 0);
            ProducerBatch batch = drain(accumulator, new int[] {0}, 0, false, 1 << 20).get(0);
            RecordBatchView view = onlyBatch(batch);
            assertThat(view.compressionType()).isEqualTo(codec);
            List<Record> records = view.recordList(1 << 24);
            assertThat(records).hasSize(values.size());
            for (int i = 0; i < records.size(); i++) {
                assertThat(StandardCharsets.US_ASCII.decode(records.get(i).value()).toString()).as("%s record %d", codec, i).isEqualTo(values.get(i));
            }
            assertThat(batch.wireSizeBytes).as("%s batch %d", codec, round).isLessThanOrEqualTo(16384 + 1024);
            accumulator.release(batch);
        }
        if (codec == CompressionType.GZIP || codec == CompressionType.ZSTD) {
            // Entropy coders shrink random letters (lz4 and snappy do not), so later batches gather more records.
            assertThat(accumulator.recordsLimitBytes()).isGreaterThan(16384 - 61);
        }
    }
}
