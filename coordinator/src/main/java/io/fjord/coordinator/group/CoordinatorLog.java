package io.fjord.coordinator.group;

import java.util.List;

/**
 * The port through which the group coordinator persists its state: the partitions of the internal
 * compacted topic {@code __consumer_offsets}. The broker implements it on its partition logs; tests
 * use an in-memory fake. Every entry has a key so that compaction keeps the latest value per key
 * and a {@code null} value (a tombstone) deletes it.
 *
 * <p>Called only from the coordinator's event-loop thread.
 */
public interface CoordinatorLog {

    /** One keyed record; {@code value} is null for a tombstone. */
    record Entry(byte[] key, byte[] value) {
        public Entry {
            if (key == null) {
                throw new IllegalArgumentException("a coordinator record needs a key");
            }
        }
    }

    /** Receives the records of a partition in offset order during {@link #replay}. */
    @FunctionalInterface
    interface EntryConsumer {
        void accept(Entry entry);
    }

    /**
     * Appends the entries to partition {@code partition} atomically (one record batch) and returns
     * once they are as durable as the log promises for acknowledged writes. Failures are thrown as
     * {@link io.fjord.common.errors.ApiException}s carrying the storage error (for example
     * KAFKA_STORAGE_ERROR or MESSAGE_TOO_LARGE); nothing is appended then.
     */
    void append(int partition, List<Entry> entries, long nowMs);

    /** Feeds every record of partition {@code partition}, oldest first, to {@code consumer}. */
    void replay(int partition, EntryConsumer consumer);
}
