package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.errors.ApiException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RecordBatchPropertiesTest {

    record Input(long timestamp, byte[] key, byte[] value, List<String> headerKeys) {
    }

    @Provide
    Arbitrary<List<Input>> inputs() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).injectNull(0.2);
        Arbitrary<Input> input = Combinators.combine(
            Arbitraries.longs().between(0, 4_000_000_000_000L), bytes, bytes,
            Arbitraries.strings().ofMaxLength(8).list().ofMaxSize(3)).as(Input::new);
        return input.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 150)
    void buildThenParseYieldsTheSameRecords(@ForAll("inputs") List<Input> inputs, @ForAll CompressionType compression) {
        MemoryRecords records = build(inputs, compression);
        RecordBatchView batch = records.batchList().get(0);
        batch.ensureValid();
        List<Record> parsed = batch.recordList(1 << 24);
        assertThat(parsed).hasSize(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            Record out = parsed.get(i);
            assertThat(out.offset()).isEqualTo(i);
            assertThat(out.timestamp()).isEqualTo(in.timestamp());
            assertThat(out.key() == null ? null : RecordBatchViewTest.bytes(out.key())).isEqualTo(in.key());
            assertThat(out.value() == null ? null : RecordBatchViewTest.bytes(out.value())).isEqualTo(in.value());
            assertThat(out.headers()).extracting(Header::key).isEqualTo(in.headerKeys());
        }
        assertThat(batch.maxTimestamp()).isEqualTo(inputs.stream().mapToLong(Input::timestamp).max().orElseThrow());
    }

    @Property(tries = 200)
    void corruptingAnyByteAfterTheCrcFieldFailsValidation(@ForAll("inputs") List<Input> inputs, @ForAll CompressionType compression,
                                                          @ForAll @IntRange(min = 0, max = 1_000_000) int where, @ForAll @IntRange(min = 1, max = 255) int flip) {
        ByteBuffer buffer = build(inputs, compression).buffer();
        int index = RecordBatchView.ATTRIBUTES_OFFSET + where % (buffer.remaining() - RecordBatchView.ATTRIBUTES_OFFSET);
        buffer.put(index, (byte) (buffer.get(index) ^ flip));
        assertThat(new RecordBatchView(buffer, 0).isValid()).isFalse();
    }

    @Property(tries = 200)
    void truncationNeverThrowsAnythingButACorruptMessage(@ForAll("inputs") List<Input> inputs, @ForAll CompressionType compression,
                                                         @ForAll @IntRange(min = 0, max = 1_000_000) int cut) {
        ByteBuffer full = build(inputs, compression).buffer();
        int length = cut % full.remaining();
        ByteBuffer truncated = full.duplicate().limit(length).slice();
        MemoryRecords records = new MemoryRecords(truncated);
        assertThat(records.batchList()).isEmpty();
        if (length >= RecordBatchView.RECORD_BATCH_OVERHEAD) {
            RecordBatchView batch = new RecordBatchView(truncated, 0);
            assertThat(batch.isValid()).isFalse();
            assertThatThrownBy(batch::ensureValid).isInstanceOf(ApiException.class);
        }
    }

    @Property(tries = 200)
    void parsingGarbageRecordsOnlyFailsWithCorruptMessage(@ForAll("inputs") List<Input> inputs, @ForAll @IntRange(min = 0, max = 1_000_000) int where,
                                                          @ForAll @IntRange(min = 1, max = 255) int flip) {
        // Corrupt the records but fix the CRC: the decoder itself must cope with any bytes.
        ByteBuffer buffer = build(inputs, CompressionType.NONE).buffer();
        int index = RecordBatchView.RECORDS_OFFSET + where % (buffer.remaining() - RecordBatchView.RECORDS_OFFSET);
        buffer.put(index, (byte) (buffer.get(index) ^ flip));
        RecordBatchView batch = new RecordBatchView(buffer, 0);
        try {
            List<Record> parsed = new ArrayList<>();
            batch.records(1 << 20).forEachRemaining(parsed::add);
        } catch (ApiException expected) {
            // a clear CORRUPT_MESSAGE is the only acceptable failure
        }
    }

    @Property(tries = 150)
    void scanningAgreesWithParsing(@ForAll("inputs") List<Input> inputs, @ForAll CompressionType compression) {
        RecordBatchView batch = build(inputs, compression).batchList().get(0);
        RecordsSummary summary = batch.scanRecords(1 << 24);
        List<Record> parsed = batch.recordList(1 << 24);
        assertThat(summary.offsetDeltasSequential()).isTrue();
        assertThat(summary.nullKeys()).isEqualTo((int) parsed.stream().filter(r -> r.key() == null).count());
        assertThat(summary.maxTimestamp()).isEqualTo(parsed.stream().mapToLong(Record::timestamp).max().orElseThrow());
        assertThat(summary.minSetTimestamp()).isEqualTo(parsed.stream().mapToLong(Record::timestamp).min().orElseThrow());
        assertThat(summary.maxSetTimestamp()).isEqualTo(summary.maxTimestamp());
    }

    @Property(tries = 300)
    void scanningGarbageFailsExactlyWhenParsingDoes(@ForAll("inputs") List<Input> inputs, @ForAll @IntRange(min = 0, max = 1_000_000) int where,
                                                    @ForAll @IntRange(min = 1, max = 255) int flip) {
        ByteBuffer buffer = build(inputs, CompressionType.NONE).buffer();
        int index = RecordBatchView.RECORDS_OFFSET + where % (buffer.remaining() - RecordBatchView.RECORDS_OFFSET);
        buffer.put(index, (byte) (buffer.get(index) ^ flip));
        RecordBatchView batch = new RecordBatchView(buffer, 0);
        ApiException parseFailure = null;
        List<Record> parsed = new ArrayList<>();
        try {
            batch.records(1 << 20).forEachRemaining(parsed::add);
        } catch (ApiException e) {
            parseFailure = e;
        }
        ApiException scanFailure = null;
        RecordsSummary summary = null;
        try {
            summary = batch.scanRecords(1 << 20);
        } catch (ApiException e) {
            scanFailure = e;
        }
        assertThat(scanFailure == null).as("scan failure %s vs parse failure %s", scanFailure, parseFailure).isEqualTo(parseFailure == null);
        if (summary != null) {
            boolean sequential = true;
            for (int i = 0; i < parsed.size(); i++) {
                sequential &= parsed.get(i).offset() - batch.baseOffset() == i;
            }
            assertThat(summary.offsetDeltasSequential()).isEqualTo(sequential);
            assertThat(summary.nullKeys()).isEqualTo((int) parsed.stream().filter(r -> r.key() == null).count());
        }
    }

    private static MemoryRecords build(List<Input> inputs, CompressionType compression) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().compression(compression);
        for (Input in : inputs) {
            List<Header> headers = in.headerKeys().stream().map(k -> new Header(k, ByteBuffer.wrap(k.getBytes()))).toList();
            builder.append(in.timestamp(), in.key() == null ? null : ByteBuffer.wrap(in.key()), in.value() == null ? null : ByteBuffer.wrap(in.value()), headers);
        }
        return builder.build();
    }
}
