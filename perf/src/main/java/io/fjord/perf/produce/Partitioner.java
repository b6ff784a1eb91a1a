package io.fjord.perf.produce;

/**
 * Chooses the partition of each record; records carry no key. STICKY follows Kafka's built-in
 * partitioner for keyless records (KIP-480/KIP-794): stay on one partition until its batch is full,
 * then move on, so batches fill up instead of being sent a few records at a time. Unlike Kafka it
 * moves to the next partition in turn rather than a random or load-weighted one, which spreads a
 * run evenly and deterministically. ROUND_ROBIN puts each record on the next partition.
 *
 * <p>Owned by the produce loop's thread.
 */
public final class Partitioner {

    public enum Mode { STICKY, ROUND_ROBIN }

    private final Mode mode;
    private final int partitionCount;
    private int current;

    public Partitioner(Mode mode, int partitionCount) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partition count must be >= 1, was " + partitionCount);
        }
        this.mode = mode;
        this.partitionCount = partitionCount;
    }

    /** The partition for the next record. */
    public int partition() {
        if (mode == Mode.STICKY) {
            return current;
        }
        int partition = current;
        current = partition + 1 == partitionCount ? 0 : partition + 1;
        return partition;
    }

    /** The partition {@link #partition()} will return next, without moving on. */
    public int peek() {
        return current;
    }

    /** The batch of {@code partition} just filled up: a sticky partitioner moves on. */
    public void onBatchFull(int partition) {
        if (mode == Mode.STICKY && partition == current) {
            current = partition + 1 == partitionCount ? 0 : partition + 1;
        }
    }
}
