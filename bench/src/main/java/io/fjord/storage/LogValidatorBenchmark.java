package io.fjord.storage;

import io.fjord.bench.jmh.BatchFixtures;
import io.fjord.record.CompressionType;
import io.fjord.record.MemoryRecords;
import io.fjord.record.RecordBatchView;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The produce path's per-batch work before the write: {@link LogValidator#validate} (sizes, CRC-32C,
 * header rules, every record's offset delta and timestamp, decompressing when compressed) and then
 * offset assignment in place (base offset and leader epoch sit outside the CRC), as
 * {@code PartitionLog.append} does. The base offset goes back to 0 after each call so the next
 * call validates the same client batch again. One ~16 KiB batch per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogValidatorBenchmark {

    @Param({"NONE", "LZ4", "ZSTD"})
    public CompressionType compression;

    @Param({"100", "1024"})
    public int recordSize;

    private MemoryRecords records;
    private RecordBatchView batch;
    private final LogConfig config = LogConfig.defaults();
    private long nextOffset;

    @Setup
    public void setUp() {
        records = BatchFixtures.batch(BatchFixtures.values(BatchFixtures.recordsPerBatch(16_384, recordSize), recordSize, 9), compression);
        batch = new RecordBatchView(records.buffer(), 0);
    }

    @Benchmark
    public long validateAndAssignOffsets() {
        LogValidator.ValidatedRecords validated = LogValidator.validate(records, config, BatchFixtures.TIMESTAMP_MS, AppendOrigin.CLIENT);
        for (LogValidator.ValidatedBatch validatedBatch : validated.batches()) {
            RecordBatchView view = validatedBatch.batch();
            view.setBaseOffset(nextOffset);
            view.setPartitionLeaderEpoch(3);
            nextOffset = view.nextOffset();
        }
        batch.setBaseOffset(0);
        return nextOffset;
    }
}
