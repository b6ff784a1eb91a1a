package io.fjord.bench.jmh;

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
 * CRC-32C validation of one uncompressed record batch v2 ({@link RecordBatchView#ensureValid()}),
 * the check every produced batch passes on the produce path. Throughput in MB/s = ops/s ×
 * {@code batchBytes} / 2^20 (the batch is within a few bytes of {@code batchBytes}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordBatchCrcBenchmark {

    @Param({"100", "1024"})
    public int recordSize;

    /** 16 KiB: the producer's default batch.size; 1 MiB: a large linger-filled batch. */
    @Param({"16384", "1048576"})
    public int batchBytes;

    private RecordBatchView batch;

    @Setup
    public void setUp() {
        MemoryRecords records = BatchFixtures.batch(
            BatchFixtures.values(BatchFixtures.recordsPerBatch(batchBytes, recordSize), recordSize, 42), CompressionType.NONE);
        batch = new RecordBatchView(records.buffer(), 0);
    }

    @Benchmark
    public long validateCrc() {
        batch.ensureValid();
        return batch.checksum();
    }
}
