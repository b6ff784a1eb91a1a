package io.fjord.bench.jmh;

import io.fjord.record.CompressionType;
import io.fjord.record.MemoryRecords;
import io.fjord.record.Record;
import io.fjord.record.RecordBatchView;
import io.fjord.record.RecordsSummary;
import java.nio.ByteBuffer;
import java.util.Iterator;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Building ({@code MemoryRecordsBuilder}: encode, compress, CRC) and parsing (decompress, decode
 * every record) one record batch of about 16 KiB per codec ({@code CompressionType}). The broker
 * parses on the produce path (validation iterates the records); Fjord's client and the broker's
 * recompression build.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordBatchCodecBenchmark {

    @Param({"NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"})
    public CompressionType compression;

    @Param({"100", "1024"})
    public int recordSize;

    private ByteBuffer[] values;
    private MemoryRecords built;

    @Setup
    public void setUp() {
        values = BatchFixtures.values(BatchFixtures.recordsPerBatch(16_384, recordSize), recordSize, 7);
        built = BatchFixtures.batch(values, compression);
    }

    @Benchmark
    public MemoryRecords build() {
        return BatchFixtures.batch(values, compression);
    }

    @Benchmark
    public void parse(Blackhole blackhole) {
        RecordBatchView batch = new RecordBatchView(built.buffer(), 0);
        Iterator<Record> records = batch.records(64 << 20);
        while (records.hasNext()) {
            blackhole.consume(records.next().value());
        }
    }

    /** The produce path's validation pass: every record's varints read, nothing materialized. */
    @Benchmark
    public RecordsSummary scan() {
        return new RecordBatchView(built.buffer(), 0).scanRecords(64 << 20);
    }
}
