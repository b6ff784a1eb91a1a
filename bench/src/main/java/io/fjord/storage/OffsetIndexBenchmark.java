package io.fjord.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link OffsetIndex#lookup(long)}: the binary search over the memory-mapped {@code .index} that
 * every fetch does to find its starting byte position. Lives in {@code io.fjord.storage} because
 * the index is package-private (the bench jar is on the class path, not a module). Targets cycle
 * through a fixed random sequence so the branch predictor cannot learn one path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OffsetIndexBenchmark {

    /** 1,000 entries ~ a segment's first 4 MB; 131,072 ~ a full 10 MB index (1 GB segment, 4 KiB interval, ~8 KiB batches). */
    @Param({"1000", "131072"})
    public int entries;

    private static final int TARGETS = 4096;
    private static final long BASE_OFFSET = 1_000_000L;
    private static final int OFFSETS_PER_ENTRY = 40;

    private Path dir;
    private OffsetIndex index;
    private long[] targets;
    private int next;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("fjord-bench-index");
        index = new OffsetIndex(dir.resolve("00000000000001000000.index"), BASE_OFFSET, 10 * 1024 * 1024);
        for (int i = 1; i <= entries; i++) {
            index.append(BASE_OFFSET + (long) i * OFFSETS_PER_ENTRY, i * 4096);
        }
        SplittableRandom random = new SplittableRandom(5);
        targets = new long[TARGETS];
        for (int i = 0; i < TARGETS; i++) {
            targets[i] = BASE_OFFSET + random.nextLong((long) entries * OFFSETS_PER_ENTRY + OFFSETS_PER_ENTRY);
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        index.deleteIfExists();
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public int lookup() {
        long target = targets[next];
        next = (next + 1) & (TARGETS - 1);
        return index.lookup(target).position();
    }
}
