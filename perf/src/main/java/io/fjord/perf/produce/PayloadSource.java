package io.fjord.perf.produce;

import java.util.SplittableRandom;

/**
 * Record values for the load: random uppercase letters A-Z, as Kafka's ProducerPerformance writes
 * them (so codecs see the same kind of data), but drawn once into a {@value #POOL_BYTES}-byte pool
 * at start-up instead of per record. Each record's value is the next window of the pool, so
 * consecutive records differ and a batch does not compress better than Kafka's would.
 *
 * <p>Deterministic for a given seed. Owned by the produce loop's thread.
 */
public final class PayloadSource {

    static final int POOL_BYTES = 1 << 20;

    private final byte[] pool;
    private final int recordSizeBytes;
    private final int windows;
    private int nextWindow;

    public PayloadSource(int recordSizeBytes, long seed) {
        if (recordSizeBytes < 0) {
            throw new IllegalArgumentException("record size must be >= 0, was " + recordSizeBytes);
        }
        this.recordSizeBytes = recordSizeBytes;
        // The pool always holds at least two whole values so that consecutive values differ.
        this.pool = new byte[Math.max(POOL_BYTES, 2 * recordSizeBytes + 1)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pool.length; i++) {
            pool[i] = (byte) ('A' + random.nextInt(26));
        }
        // Window starts step by one value plus one byte, wrapping, so windows shift through the pool.
        this.windows = pool.length - recordSizeBytes;
    }

    public byte[] pool() {
        return pool;
    }

    public int recordSizeBytes() {
        return recordSizeBytes;
    }

    /** Where the next value starts in {@link #pool()}; it is {@link #recordSizeBytes()} long. */
    public int nextOffset() {
        int offset = nextWindow;
        nextWindow += recordSizeBytes + 1;
        if (nextWindow >= windows) {
            nextWindow -= windows;
        }
        return offset;
    }
}
