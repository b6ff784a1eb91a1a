package io.fjord.bench.jmh;

import io.fjord.record.CompressionType;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Record batches for the micro-benchmarks, shaped like ProducerPerformance's load: values of
 * random upper-case letters (so the codecs see the same compressibility as in the side-by-side
 * harness), no keys, no headers, one fixed timestamp, built from a fixed seed.
 */
public final class BatchFixtures {

    /** The CreateTime of every record; validation benchmarks use it as "now" too. */
    public static final long TIMESTAMP_MS = 1_700_000_000_000L;

    private BatchFixtures() {
    }

    /** Values for {@code count} records of {@code recordSize} bytes. */
    public static ByteBuffer[] values(int count, int recordSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer[] values = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[recordSize];
            for (int j = 0; j < recordSize; j++) {
                value[j] = (byte) ('A' + random.nextInt(26));
            }
            values[i] = ByteBuffer.wrap(value);
        }
        return values;
    }

    /** How many records of {@code recordSize} fill about {@code batchBytes}, as the producer's batch.size would. */
    public static int recordsPerBatch(int batchBytes, int recordSize) {
        return Math.max(1, batchBytes / (recordSize + 8));
    }

    /** One batch (base offset 0, no producer id) of these values with this codec. */
    public static MemoryRecords batch(ByteBuffer[] values, CompressionType compression) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().compression(compression);
        for (ByteBuffer value : values) {
            builder.append(TIMESTAMP_MS, null, value.duplicate(), List.of());
        }
        return builder.build();
    }
}
