package io.fjord.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of one idempotent or transactional producer on a partition, immutable: its epoch, the
 * metadata of its last {@value #NUM_BATCHES_TO_RETAIN} batches (Kafka's in-flight request limit
 * for idempotence), the coordinator epoch of its last transaction marker, the first offset of its
 * ongoing transaction (-1 when none) and its last write time. DescribeProducers shows these.
 */
public record ProducerStateEntry(long producerId, short producerEpoch, int coordinatorEpoch, long currentTxnStartOffset,
                                 long lastTimestamp, List<BatchMetadata> batchMetadata) {

    public static final int NUM_BATCHES_TO_RETAIN = 5;

    public ProducerStateEntry {
        batchMetadata = List.copyOf(batchMetadata);
    }

    static ProducerStateEntry empty(long producerId) {
        return new ProducerStateEntry(producerId, (short) -1, -1, -1L, -1L, List.of());
    }

    /** The last sequence written, -1 when no batch is remembered. */
    public int lastSequence() {
        return batchMetadata.isEmpty() ? -1 : batchMetadata.get(batchMetadata.size() - 1).lastSequence();
    }

    /** The last offset of the last data batch, -1 when none is remembered. */
    public long lastDataOffset() {
        return batchMetadata.isEmpty() ? -1L : batchMetadata.get(batchMetadata.size() - 1).lastOffset();
    }

    /** A remembered batch of this epoch with exactly these sequences: the append is a retry. */
    Optional<BatchMetadata> findDuplicate(short epoch, int firstSequence, int lastSequence) {
        if (epoch != producerEpoch) {
            return Optional.empty();
        }
        for (BatchMetadata batch : batchMetadata) {
            if (batch.firstSequence() == firstSequence && batch.lastSequence() == lastSequence) {
                return Optional.of(batch);
            }
        }
        return Optional.empty();
    }

    /** After a data batch: a new epoch forgets the old epoch's batches. */
    ProducerStateEntry withBatch(short epoch, BatchMetadata batch, boolean transactional) {
        List<BatchMetadata> batches = new ArrayList<>(epoch == producerEpoch ? batchMetadata : List.of());
        batches.add(batch);
        while (batches.size() > NUM_BATCHES_TO_RETAIN) {
            batches.remove(0);
        }
        long txnFirstOffset = transactional && currentTxnStartOffset < 0 ? batch.firstOffset() : currentTxnStartOffset;
        return new ProducerStateEntry(producerId, epoch, coordinatorEpoch, txnFirstOffset, batch.timestamp(), batches);
    }

    /** After a COMMIT/ABORT marker: the transaction is over. */
    ProducerStateEntry withMarker(short epoch, int markerCoordinatorEpoch, long timestamp) {
        List<BatchMetadata> batches = epoch == producerEpoch ? batchMetadata : List.of();
        return new ProducerStateEntry(producerId, epoch, markerCoordinatorEpoch, -1L, timestamp, batches);
    }
}
