package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordBatchViewTest {

    private static final int LIMIT = 1 << 20;

    /**
     * Built byte by byte with an independent (bitwise, table-free) CRC-32C in Python: one record,
     * null key, value "v", timestamp 1000, no producer. The CRC 0xae59b08f was computed there.
     */
    private static final String HAND_BUILT_BATCH =
        "0000000000000000" + "00000039" + "ffffffff" + "02" + "ae59b08f" + "0000" + "00000000"
            + "00000000000003e8" + "00000000000003e8" + "ffffffffffffffff" + "ffff" + "ffffffff" + "00000001"
            + "0e00000001027600";

    @Test
    void shouldComputeTheKnownCrc32cCheckValue() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(crc.getValue()).isEqualTo(0xE3069283L);
    }

    @Test
    void shouldBuildExactlyTheHandBuiltBatch() {
        MemoryRecords built = MemoryRecordsBuilder.builder().append(1000L, null, "v").build();
        assertThat(HexFormat.of().formatHex(bytes(built.buffer()))).isEqualTo(HAND_BUILT_BATCH);
    }

    @Test
    void shouldParseTheHandBuiltBatch() {
        RecordBatchView batch = new RecordBatchView(ByteBuffer.wrap(HexFormat.of().parseHex(HAND_BUILT_BATCH)), 0);
        batch.ensureValid();
        assertThat(batch.checksum()).isEqualTo(0xae59b08fL);
        assertThat(batch.sizeInBytes()).isEqualTo(69);
        assertThat(batch.recordsCount()).isEqualTo(1);
        assertThat(batch.lastOffset()).isZero();
        assertThat(batch.hasProducerId()).isFalse();
        List<Record> records = batch.recordList(LIMIT);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isNull();
        assertThat(utf8(records.get(0).value())).isEqualTo("v");
        assertThat(records.get(0).timestamp()).isEqualTo(1000L);
        assertThat(records.get(0).sequence()).isEqualTo(-1);
    }

    @Test
    void shouldExposeEveryHeaderFieldAndRecordField() {
        MemoryRecords records = MemoryRecordsBuilder.builder()
            .compression(CompressionType.GZIP).baseOffset(100).partitionLeaderEpoch(7)
            .producer(42L, (short) 3, 10).transactional(true)
            .append(5000L, ByteBuffer.wrap(new byte[] {1, 2}), null, List.of(new Header("h1", null), new Header("h2", ByteBuffer.wrap(new byte[] {9}))))
            .append(4000L, "k", "v")
            .append(6000L, null, null, List.of())
            .build();
        RecordBatchView batch = records.batchList().get(0);
        batch.ensureValid();
        assertThat(batch.baseOffset()).isEqualTo(100);
        assertThat(batch.lastOffset()).isEqualTo(102);
        assertThat(batch.nextOffset()).isEqualTo(103);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.compressionType()).isEqualTo(CompressionType.GZIP);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.isControlBatch()).isFalse();
        assertThat(batch.baseTimestamp()).isEqualTo(5000L);
        assertThat(batch.maxTimestamp()).isEqualTo(6000L);
        assertThat(batch.producerId()).isEqualTo(42L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(10);
        assertThat(batch.lastSequence()).isEqualTo(12);
        List<Record> list = batch.recordList(LIMIT);
        assertThat(list).extracting(Record::offset).containsExactly(100L, 101L, 102L);
        assertThat(list).extracting(Record::timestamp).containsExactly(5000L, 4000L, 6000L);
        assertThat(list).extracting(Record::sequence).containsExactly(10, 11, 12);
        assertThat(list.get(0).value()).isNull();
        assertThat(list.get(0).headers()).extracting(Header::key).containsExactly("h1", "h2");
        assertThat(list.get(0).headers().get(0).value()).isNull();
        assertThat(list.get(0).headers().get(1).value().get(0)).isEqualTo((byte) 9);
        assertThat(utf8(list.get(1).key())).isEqualTo("k");
        assertThat(list.get(2).key()).isNull();
    }

    @Test
    void shouldWrapSequencesPastIntMax() {
        MemoryRecords records = MemoryRecordsBuilder.builder().producer(1L, (short) 0, Integer.MAX_VALUE - 1)
            .append(1L, "a", "a").append(2L, "b", "b").append(3L, "c", "c").build();
        RecordBatchView batch = records.batchList().get(0);
        assertThat(batch.lastSequence()).isZero();
        assertThat(batch.recordList(LIMIT)).extracting(Record::sequence).containsExactly(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0);
    }

    @Test
    void shouldKeepCrcValidWhenAssigningOffsetAndEpoch() {
        RecordBatchView batch = MemoryRecordsBuilder.builder().append(1L, "k", "v").build().batchList().get(0);
        long crc = batch.checksum();
        batch.setBaseOffset(12345L);
        batch.setPartitionLeaderEpoch(9);
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.checksum()).isEqualTo(crc);
        assertThat(batch.recordList(LIMIT).get(0).offset()).isEqualTo(12345L);
    }

    @Test
    void shouldRecomputeCrcForLogAppendTime() {
        RecordBatchView batch = MemoryRecordsBuilder.builder().compression(CompressionType.LZ4).append(1L, "k", "v").append(2L, "k", "v")
            .build().batchList().get(0);
        long crc = batch.checksum();
        batch.setMaxTimestampAndLogAppendTime(99_000L);
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.checksum()).isNotEqualTo(crc);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(99_000L);
        assertThat(batch.compressionType()).isEqualTo(CompressionType.LZ4);
        assertThat(batch.recordList(LIMIT)).extracting(Record::timestamp).containsExactly(99_000L, 99_000L);
    }

    @Test
    void shouldBuildEndTxnMarkerControlBatch() {
        MemoryRecords marker = MemoryRecordsBuilder.endTxnMarker(77L, (short) 2, 500L, new EndTxnMarker(ControlRecordType.COMMIT, 4));
        RecordBatchView batch = marker.batchList().get(0);
        batch.ensureValid();
        assertThat(batch.isControlBatch()).isTrue();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.producerId()).isEqualTo(77L);
        assertThat(batch.baseSequence()).isEqualTo(-1);
        Record record = batch.recordList(LIMIT).get(0);
        assertThat(ControlRecordType.parseKey(record.key())).isEqualTo(ControlRecordType.COMMIT);
        assertThat(EndTxnMarker.fromRecord(record)).isEqualTo(new EndTxnMarker(ControlRecordType.COMMIT, 4));
    }

    @Test
    void shouldRejectWrongMagicTruncationAndBadCrc() {
        byte[] good = HexFormat.of().parseHex(HAND_BUILT_BATCH);
        byte[] magic = good.clone();
        magic[16] = 1;
        assertCorrupt(new RecordBatchView(ByteBuffer.wrap(magic), 0), "magic");
        byte[] crc = good.clone();
        crc[good.length - 2] ^= 0x01;
        assertCorrupt(new RecordBatchView(ByteBuffer.wrap(crc), 0), "CRC");
        assertCorrupt(new RecordBatchView(ByteBuffer.wrap(good, 0, good.length - 1).slice(), 0), "truncated");
    }

    @Test
    void shouldRejectARecordCountTheBytesCannotHold() {
        byte[] bytes = HexFormat.of().parseHex(HAND_BUILT_BATCH);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.putInt(RecordBatchView.RECORDS_COUNT_OFFSET, 1_000_000);
        RecordBatchView batch = new RecordBatchView(buffer, 0);
        assertThatThrownBy(() -> batch.records(LIMIT)).isInstanceOf(ApiException.class).hasMessageContaining("claims");
    }

    @Test
    void shouldSkipPartialTrailingBatch() {
        MemoryRecords one = MemoryRecordsBuilder.builder().append(1L, "a", "b").build();
        MemoryRecords two = MemoryRecordsBuilder.builder().baseOffset(1).append(2L, "c", "d").build();
        ByteBuffer joined = ByteBuffer.allocate(one.sizeInBytes() + two.sizeInBytes() - 5);
        joined.put(one.duplicateBuffer()).put(two.duplicateBuffer().limit(two.sizeInBytes() - 5)).flip();
        MemoryRecords records = new MemoryRecords(joined);
        assertThat(records.batchList()).hasSize(1);
        assertThat(records.sizeOfCompleteBatches()).isEqualTo(one.sizeInBytes());
        assertThatThrownBy(records::ensureValid).isInstanceOf(ApiException.class).hasMessageContaining("partial");
    }

    private static void assertCorrupt(RecordBatchView batch, String message) {
        assertThat(batch.isValid()).isFalse();
        assertThatThrownBy(batch::ensureValid).isInstanceOf(ApiException.class).hasMessageContaining(message)
            .extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.CORRUPT_MESSAGE);
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    static String utf8(ByteBuffer buffer) {
        return new String(bytes(buffer), StandardCharsets.UTF_8);
    }
}
