package io.fjord.perf.consume;

import io.fjord.perf.PerfException;
import io.fjord.record.ControlRecordType;
import io.fjord.record.EndTxnMarker;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchCounterTest {

    /** A batch of {@code count} records of 10-byte values starting at {@code baseOffset}. */
    private static MemoryRecords batch(long baseOffset, int count) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().baseOffset(baseOffset);
        for (int i = 0; i < count; i++) {
            builder.append(1_700_000_000_000L, null, "value-" + (1000 + i));
        }
        return builder.build();
    }

    private static MemoryRecords concat(List<MemoryRecords> parts, int dropTrailingBytes) {
        int size = parts.stream().mapToInt(MemoryRecords::sizeInBytes).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(part -> all.put(part.duplicateBuffer()));
        all.flip();
        all.limit(size - dropTrailingBytes);
        return new MemoryRecords(all);
    }

    @Test
    void shouldCountCompleteBatchesAndRefetchFromTheBaseOffsetOfACutOne() {
        MemoryRecords first = batch(0, 10);
        MemoryRecords second = batch(10, 5);
        MemoryRecords cut = batch(15, 7);
        BatchCounter counter = new BatchCounter(true);

        long next = counter.count(concat(List.of(first, second, cut), 9), 0, "t-0");

        assertThat(next).isEqualTo(15);
        assertThat(counter.records()).isEqualTo(15);
        assertThat(counter.bytes()).isEqualTo(first.sizeInBytes() + second.sizeInBytes());
    }

    @Test
    void shouldNotMoveWhenOnlyAPartialBatchArrives() {
        BatchCounter counter = new BatchCounter(false);
        assertThat(counter.count(concat(List.of(batch(40, 3)), 1), 40, "t-0")).isEqualTo(40);
        assertThat(counter.records()).isZero();
        assertThat(counter.bytes()).isZero();
    }

    @Test
    void shouldSkipRecordsBeforeTheFetchOffset() {
        BatchCounter counter = new BatchCounter(false);
        long next = counter.count(concat(List.of(batch(0, 10), batch(10, 10)), 0), 14, "t-0");
        assertThat(next).isEqualTo(20);
        assertThat(counter.records()).as("the first batch ends before 14; the second counts 14..19").isEqualTo(6);
    }

    @Test
    void shouldMovePastControlBatchesWithoutCountingThem() {
        MemoryRecords marker = MemoryRecordsBuilder.endTxnMarker(7, (short) 0, 1_700_000_000_000L, new EndTxnMarker(ControlRecordType.COMMIT, 0));
        ByteBuffer markerAt5 = marker.duplicateBuffer();
        markerAt5.putLong(0, 5L);
        BatchCounter counter = new BatchCounter(true);
        long next = counter.count(concat(List.of(batch(0, 5), new MemoryRecords(markerAt5)), 0), 0, "t-0");
        assertThat(next).isEqualTo(6);
        assertThat(counter.records()).isEqualTo(5);
    }

    @Test
    void shouldNameThePartitionWhenACrcCheckFails() {
        MemoryRecords records = batch(0, 3);
        ByteBuffer corrupted = records.duplicateBuffer();
        corrupted.put(corrupted.limit() - 1, (byte) (corrupted.get(corrupted.limit() - 1) ^ 1));
        assertThatThrownBy(() -> new BatchCounter(true).count(new MemoryRecords(corrupted), 0, "orders-3"))
            .isInstanceOf(PerfException.class)
            .hasMessageContaining("orders-3")
            .hasMessageContaining("CRC");
        assertThat(new BatchCounter(false).count(new MemoryRecords(corrupted), 0, "orders-3")).isEqualTo(3);
    }
}
