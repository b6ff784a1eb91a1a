package io.fjord.coordinator.transaction;

import io.fjord.common.TopicPartition;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The port through which the transaction coordinator ends a transaction in the partitions it
 * touched: a COMMIT or ABORT control batch in every data partition (appended as the coordinator,
 * with the high watermark moved), and for partitions of {@code __consumer_offsets} the group
 * coordinator materializes or drops the transaction's pending offsets. The broker implements it.
 *
 * <p>Called on the coordinator's event-loop thread. Implementations must have handed every marker to
 * its partition (or to the group coordinator's queue) before returning: the coordinator relies on
 * this order to keep a write it verified earlier ahead of the marker that ends its transaction.
 */
public interface TransactionMarkerWriter {

    /** One transaction to end in {@code partitions}. */
    record MarkerRequest(String transactionalId, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                         Set<TopicPartition> partitions) {
        public MarkerRequest {
            partitions = Set.copyOf(partitions);
        }
    }

    /**
     * Writes the markers; the future holds the partitions that failed with a retriable error (for
     * example a group coordinator still loading) and must be tried again. Partitions that no longer
     * exist count as done, as in Kafka.
     */
    CompletableFuture<Set<TopicPartition>> writeMarkers(MarkerRequest request, long nowMs);
}
