package io.fjord.broker.server.transaction;

import io.fjord.broker.server.ReplicaManager;
import io.fjord.broker.server.group.OffsetsTopicLog;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.group.GroupCoordinator;
import io.fjord.coordinator.transaction.TransactionMarkerWriter;
import io.fjord.record.ControlRecordType;
import io.fjord.record.EndTxnMarker;
import io.fjord.record.MemoryRecordsBuilder;
import io.fjord.storage.AppendOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transaction coordinator's {@link TransactionMarkerWriter} on this broker (what Kafka's
 * WriteTxnMarkers between brokers does, in-process): appends a COMMIT/ABORT control batch to each
 * data partition as the coordinator ({@link AppendOrigin#COORDINATOR}) through
 * {@link ReplicaManager#appendRecords}, which moves the high watermark and so the last stable
 * offset; for partitions of {@code __consumer_offsets} the group coordinator materializes or drops
 * the transaction's pending offsets instead (Fjord keeps those as pending records, not as
 * transactional batches, so no control batch is needed there).
 *
 * <p>Called on the transaction coordinator's thread. Data markers are appended before
 * {@link #writeMarkers} returns and the group coordinator's work is queued by then, as the port
 * requires.
 */
public final class PartitionMarkerWriter implements TransactionMarkerWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionMarkerWriter.class);

    private final ReplicaManager replicaManager;
    private final GroupCoordinator groups;

    public PartitionMarkerWriter(ReplicaManager replicaManager, GroupCoordinator groups) {
        this.replicaManager = replicaManager;
        this.groups = groups;
    }

    @Override
    public CompletableFuture<Set<TopicPartition>> writeMarkers(MarkerRequest request, long nowMs) {
        Set<TopicPartition> failed = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> groupWork = new ArrayList<>();
        for (TopicPartition tp : request.partitions()) {
            if (tp.topic().equals(OffsetsTopicLog.TOPIC)) {
                groupWork.add(groups.completeTransaction(tp.partition(), request.producerId(), request.commit()).thenAccept(error -> {
                    if (error != Errors.NONE) {
                        failed.add(tp);
                    }
                }));
            } else if (!appendMarker(request, tp, nowMs)) {
                failed.add(tp);
            }
        }
        return CompletableFuture.allOf(groupWork.toArray(CompletableFuture[]::new)).thenApply(ignored -> Set.copyOf(failed));
    }

    /** Appends one marker; false when the partition should be tried again. */
    private boolean appendMarker(MarkerRequest request, TopicPartition tp, long nowMs) {
        EndTxnMarker marker = new EndTxnMarker(request.commit() ? ControlRecordType.COMMIT : ControlRecordType.ABORT, request.coordinatorEpoch());
        try {
            replicaManager.appendRecords(tp, MemoryRecordsBuilder.endTxnMarker(request.producerId(), request.producerEpoch(), nowMs, marker),
                    AppendOrigin.COORDINATOR);
            return true;
        } catch (ApiException e) {
            return switch (e.error()) {
                // As Kafka: a deleted partition needs no marker; a newer epoch or coordinator already ended the transaction there.
                case UNKNOWN_TOPIC_OR_PARTITION, INVALID_PRODUCER_EPOCH, PRODUCER_FENCED, TRANSACTION_COORDINATOR_FENCED -> {
                    LOG.warn("[partition {}] {} marker of producer {} not written: {}", tp, marker.type(), request.producerId(), e.getMessage());
                    yield true;
                }
                default -> {
                    LOG.warn("[partition {}] {} marker of producer {} failed, will retry: {}", tp, marker.type(), request.producerId(), e.getMessage());
                    yield false;
                }
            };
        }
    }
}
