package io.fjord.coordinator.transaction;

import io.fjord.common.Invariants;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.group.CoordinatorLog;
import io.fjord.coordinator.transaction.TransactionMarkerWriter.MarkerRequest;
import io.fjord.protocol.message.DescribeTransactionsResponseData;
import io.fjord.protocol.message.ListTransactionsResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The transaction coordinator for the transactional ids of one {@code __transaction_state}
 * partition: a deterministic state machine driven by requests and by {@link #poll(long)}, with time
 * passed in and producer ids drawn from a {@link ProducerIdGenerator}, so a test drives it with a
 * fake clock. Every change is written to the log (synchronously, through {@link CoordinatorLog})
 * before it is applied in memory; {@link #load} rebuilds the state from that log.
 *
 * <p>Markers: a transaction that reaches PrepareCommit or PrepareAbort (also when found so on
 * load) puts a {@link MarkerRequest} into an outbox that {@link TransactionCoordinator} drains
 * after every call and hands to the {@link TransactionMarkerWriter}; when all markers are written
 * it calls {@link #onMarkersWritten} and the transaction completes.
 *
 * <p>Lifecycle: created when its partition is loaded, then requests and polls. Not thread-safe:
 * the {@link TransactionCoordinator} runs every call on its one event-loop thread.
 */
public final class TransactionCoordinatorShard {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinatorShard.class);

    /** InitProducerId's answer: the producer id and epoch, or an error with -1/-1. */
    public record InitProducerIdResult(Errors error, long producerId, short producerEpoch) {
        static InitProducerIdResult error(Errors error) {
            return new InitProducerIdResult(error, TransactionMetadata.NO_PRODUCER_ID, TransactionMetadata.NO_PRODUCER_EPOCH);
        }
    }

    private final int partition;
    private final int coordinatorEpoch;
    private final TransactionCoordinatorConfig config;
    private final CoordinatorLog log;
    private final ProducerIdGenerator producerIds;
    private final Map<String, TransactionMetadata> transactions = new HashMap<>();
    private final List<MarkerRequest> markerOutbox = new ArrayList<>();
    private long nextTimeoutCheckMs;
    private long nextExpirationCheckMs;

    public TransactionCoordinatorShard(int partition, int coordinatorEpoch, TransactionCoordinatorConfig config, CoordinatorLog log,
                                       ProducerIdGenerator producerIds) {
        this.partition = partition;
        this.coordinatorEpoch = coordinatorEpoch;
        this.config = config;
        this.log = log;
        this.producerIds = producerIds;
    }

    public int partition() {
        return partition;
    }

    /** Replays the partition; transactions found half-ended get their markers (re)written. */
    public void load(long nowMs) {
        int[] count = {0};
        log.replay(partition, entry -> {
            TransactionRecordSerde.Decoded decoded = TransactionRecordSerde.deserialize(entry);
            if (decoded.metadata().isPresent()) {
                transactions.put(decoded.transactionalId(), decoded.metadata().get());
            } else {
                transactions.remove(decoded.transactionalId());
            }
            count[0]++;
        });
        int resumed = 0;
        for (TransactionMetadata metadata : transactions.values()) {
            if (metadata.state().isPrepare()) {
                markerOutbox.add(markerRequest(metadata));
                resumed++;
            }
        }
        nextTimeoutCheckMs = nowMs + config.abortTimedOutTransactionCleanupIntervalMs();
        nextExpirationCheckMs = nowMs + config.removeExpiredTransactionalIdCleanupIntervalMs();
        LOG.info("Loaded __transaction_state-{}: {} records, {} transactional ids, {} transactions to complete",
                partition, count[0], transactions.size(), resumed);
    }

    /** The marker requests produced since the last call; the caller dispatches them. */
    public List<MarkerRequest> drainMarkerRequests() {
        if (markerOutbox.isEmpty()) {
            return List.of();
        }
        List<MarkerRequest> drained = List.copyOf(markerOutbox);
        markerOutbox.clear();
        return drained;
    }

    /**
     * InitProducerId with a transactional id (Kafka's handleInitProducerId). {@code expectedProducerId}
     * and {@code expectedEpoch} are -1 unless a v3+ client asks to bump its own epoch (KIP-360).
     */
    public InitProducerIdResult handleInitProducerId(String transactionalId, int txnTimeoutMs, long expectedProducerId,
                                                     short expectedEpoch, long nowMs) {
        if (transactionalId.isEmpty()) {
            return InitProducerIdResult.error(Errors.INVALID_REQUEST);
        }
        if (txnTimeoutMs <= 0 || txnTimeoutMs > config.transactionMaxTimeoutMs()) {
            return InitProducerIdResult.error(Errors.INVALID_TRANSACTION_TIMEOUT);
        }
        boolean expected = expectedProducerId != TransactionMetadata.NO_PRODUCER_ID;
        TransactionMetadata current = transactions.get(transactionalId);
        if (current == null) {
            current = TransactionMetadata.create(transactionalId, producerIds.generateProducerId(), txnTimeoutMs, nowMs);
        }
        if (expected && !isValidExpectedProducerId(current, expectedProducerId, expectedEpoch)) {
            return InitProducerIdResult.error(Errors.PRODUCER_FENCED);
        }
        return switch (current.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT -> InitProducerIdResult.error(Errors.CONCURRENT_TRANSACTIONS);
            case ONGOING -> {
                // Abort the open transaction with a bumped epoch and let the client retry; its retry
                // bumps the epoch once more (or rotates the producer id), so the fencing epoch is never handed out.
                Errors error = tryWrite(current.prepareFencingAbort(nowMs), nowMs);
                yield InitProducerIdResult.error(error == Errors.NONE ? Errors.CONCURRENT_TRANSACTIONS : error);
            }
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> initIdle(current, txnTimeoutMs, expected, expectedEpoch, nowMs);
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException("transactional id " + transactionalId
                    + " found in state " + current.state() + ", which is never kept");
        };
    }

    /** Kafka's isValidProducerId: a KIP-360 bump must name the current id, or the previous one with an exhausted epoch. */
    private static boolean isValidExpectedProducerId(TransactionMetadata current, long expectedProducerId, short expectedEpoch) {
        return current.producerEpoch() == TransactionMetadata.NO_PRODUCER_EPOCH
                || expectedProducerId == current.producerId()
                || (expectedProducerId == current.lastProducerId() && TransactionMetadata.isEpochExhausted(expectedEpoch));
    }

    private InitProducerIdResult initIdle(TransactionMetadata current, int txnTimeoutMs, boolean expected, short expectedEpoch, long nowMs) {
        TransactionMetadata next;
        if (current.isProducerEpochExhausted() && (!expected || expectedEpoch == current.producerEpoch())) {
            next = current.withNewProducerId(producerIds.generateProducerId(), expected, txnTimeoutMs, nowMs);
        } else if (!expected || current.producerEpoch() == TransactionMetadata.NO_PRODUCER_EPOCH || expectedEpoch == current.producerEpoch()) {
            short bumped = (short) (current.producerEpoch() + 1);
            short last = expected ? current.producerEpoch() : TransactionMetadata.NO_PRODUCER_EPOCH;
            next = current.withBumpedEpoch(bumped, last, txnTimeoutMs, nowMs);
        } else if (expectedEpoch == current.lastProducerEpoch()) {
            // A retry of a bump that succeeded: answer the current epoch again, without bumping.
            next = current.withBumpedEpoch(current.producerEpoch(), current.lastProducerEpoch(), txnTimeoutMs, nowMs);
        } else {
            return InitProducerIdResult.error(Errors.PRODUCER_FENCED);
        }
        Errors error = tryWrite(next, nowMs);
        if (error != Errors.NONE) {
            return InitProducerIdResult.error(error);
        }
        LOG.info("[transactional id {}] initialized producer id {} epoch {} on __transaction_state-{}",
                next.transactionalId(), next.producerId(), next.producerEpoch(), partition);
        return new InitProducerIdResult(Errors.NONE, next.producerId(), next.producerEpoch());
    }

    /** AddPartitionsToTxn and AddOffsetsToTxn (with the group's {@code __consumer_offsets} partition). */
    public Errors handleAddPartitions(String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions,
                                      long nowMs) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return Errors.INVALID_REQUEST;
        }
        TransactionMetadata current = transactions.get(transactionalId);
        Errors error = checkProducer(current, producerId, producerEpoch);
        if (error != Errors.NONE) {
            return error;
        }
        if (current.state().isPrepare()) {
            return Errors.CONCURRENT_TRANSACTIONS;
        }
        if (current.state() == TransactionState.ONGOING && current.partitions().containsAll(partitions)) {
            return Errors.NONE;
        }
        return tryWrite(current.withAddedPartitions(partitions, nowMs), nowMs);
    }

    /** EndTxn v0-4 (Kafka's endTransaction from a client). */
    public Errors handleEndTxn(String transactionalId, long producerId, short producerEpoch, boolean commit, long nowMs) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return Errors.INVALID_REQUEST;
        }
        TransactionMetadata current = transactions.get(transactionalId);
        Errors error = checkProducer(current, producerId, producerEpoch);
        if (error != Errors.NONE) {
            return error;
        }
        return switch (current.state()) {
            case ONGOING -> tryWrite(current.prepareEnd(commit, nowMs), nowMs);
            // A retry of an EndTxn that already went through answers as the first one did.
            case COMPLETE_COMMIT -> commit ? Errors.NONE : Errors.INVALID_TXN_STATE;
            case COMPLETE_ABORT -> commit ? Errors.INVALID_TXN_STATE : Errors.NONE;
            case PREPARE_COMMIT -> commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE;
            case PREPARE_ABORT -> commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS;
            case EMPTY -> Errors.INVALID_TXN_STATE;
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException("transactional id " + transactionalId
                    + " found in state " + current.state() + ", which is never kept");
        };
    }

    /**
     * KIP-890 part 1, in-process: may this producer write to {@code partitions} inside its open
     * transaction? NONE only if the transaction is Ongoing with this producer id and epoch and every
     * partition was added to it.
     */
    public Errors verifyPartitions(String transactionalId, long producerId, short producerEpoch, Collection<TopicPartition> partitions) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return Errors.INVALID_REQUEST;
        }
        TransactionMetadata current = transactions.get(transactionalId);
        Errors error = checkProducer(current, producerId, producerEpoch);
        if (error != Errors.NONE) {
            return error;
        }
        if (current.state() != TransactionState.ONGOING || !current.partitions().containsAll(partitions)) {
            return Errors.INVALID_TXN_STATE;
        }
        return Errors.NONE;
    }

    private static Errors checkProducer(TransactionMetadata current, long producerId, short producerEpoch) {
        if (current == null || current.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (current.producerEpoch() != producerEpoch) {
            return Errors.PRODUCER_FENCED;
        }
        return Errors.NONE;
    }

    /**
     * Every marker of {@code request} is written: the transaction completes, unless the state moved
     * on meanwhile (it cannot while markers are pending, but a reload may have re-issued them).
     */
    public void onMarkersWritten(MarkerRequest request, long nowMs) {
        TransactionMetadata current = transactions.get(request.transactionalId());
        if (current == null || !current.state().isPrepare() || current.producerId() != request.producerId()
                || current.producerEpoch() != request.producerEpoch()) {
            return;
        }
        TransactionMetadata completed = current.complete(nowMs);
        if (tryWrite(completed, nowMs) != Errors.NONE) {
            // Writing the markers again is harmless (a marker for a producer without an open transaction changes nothing).
            LOG.warn("[transactional id {}] could not record {}; markers will be written again", request.transactionalId(), completed.state());
            markerOutbox.add(markerRequest(current));
        }
    }

    /** Aborts transactions past their timeout and removes idle transactional ids past their expiration. */
    public void poll(long nowMs) {
        if (nowMs >= nextTimeoutCheckMs) {
            nextTimeoutCheckMs = nowMs + config.abortTimedOutTransactionCleanupIntervalMs();
            abortTimedOutTransactions(nowMs);
        }
        if (nowMs >= nextExpirationCheckMs) {
            nextExpirationCheckMs = nowMs + config.removeExpiredTransactionalIdCleanupIntervalMs();
            removeExpiredTransactionalIds(nowMs);
        }
    }

    private void abortTimedOutTransactions(long nowMs) {
        for (TransactionMetadata metadata : List.copyOf(transactions.values())) {
            if (metadata.state() == TransactionState.ONGOING && metadata.txnStartTimestampMs() + metadata.txnTimeoutMs() < nowMs) {
                // The epoch bump fences the producer that let its transaction time out (Kafka does the same).
                Errors error = tryWrite(metadata.prepareFencingAbort(nowMs), nowMs);
                LOG.info("[transactional id {}] transaction of producer {} timed out after {} ms; aborting: {}",
                        metadata.transactionalId(), metadata.producerId(), metadata.txnTimeoutMs(), error);
            }
        }
    }

    private void removeExpiredTransactionalIds(long nowMs) {
        for (TransactionMetadata metadata : List.copyOf(transactions.values())) {
            if (metadata.state().isIdle() && nowMs - metadata.txnLastUpdateTimestampMs() >= config.transactionalIdExpirationMs()) {
                try {
                    log.append(partition, List.of(TransactionRecordSerde.tombstone(metadata.transactionalId())), nowMs);
                    transactions.remove(metadata.transactionalId());
                    LOG.info("[transactional id {}] expired after {} ms without use", metadata.transactionalId(),
                            config.transactionalIdExpirationMs());
                } catch (ApiException e) {
                    LOG.warn("[transactional id {}] could not expire: {}", metadata.transactionalId(), e.getMessage());
                }
            }
        }
    }

    /** DescribeTransactions for one id of this shard. */
    public DescribeTransactionsResponseData.TransactionState describe(String transactionalId) {
        DescribeTransactionsResponseData.TransactionState described = new DescribeTransactionsResponseData.TransactionState()
                .setTransactionalId(transactionalId);
        TransactionMetadata metadata = transactions.get(transactionalId);
        if (metadata == null) {
            return described.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code()).setTransactionState("")
                    .setProducerId(-1).setProducerEpoch((short) -1).setTransactionStartTimeMs(-1);
        }
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : metadata.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), name -> new ArrayList<>()).add(tp.partition());
        }
        byTopic.forEach((topic, partitions) -> described.topics().add(new DescribeTransactionsResponseData.TopicData()
                .setTopic(topic).setPartitions(partitions.stream().sorted().toList())));
        return described.setTransactionState(metadata.state().displayName()).setTransactionTimeoutMs(metadata.txnTimeoutMs())
                .setTransactionStartTimeMs(metadata.txnStartTimestampMs()).setProducerId(metadata.producerId())
                .setProducerEpoch(metadata.producerEpoch());
    }

    /**
     * ListTransactions for this shard: empty filters match everything; {@code minDurationMs} >= 0
     * keeps only transactions open at least that long (v1).
     */
    public List<ListTransactionsResponseData.TransactionState> list(Set<Long> producerIdFilter, Set<TransactionState> stateFilter,
                                                                    long minDurationMs, long nowMs) {
        List<ListTransactionsResponseData.TransactionState> listed = new ArrayList<>();
        for (TransactionMetadata metadata : transactions.values()) {
            if ((!producerIdFilter.isEmpty() && !producerIdFilter.contains(metadata.producerId()))
                    || (!stateFilter.isEmpty() && !stateFilter.contains(metadata.state()))) {
                continue;
            }
            if (minDurationMs >= 0 && (metadata.txnStartTimestampMs() < 0 || nowMs - metadata.txnStartTimestampMs() < minDurationMs)) {
                continue;
            }
            listed.add(new ListTransactionsResponseData.TransactionState().setTransactionalId(metadata.transactionalId())
                    .setProducerId(metadata.producerId()).setTransactionState(metadata.state().displayName()));
        }
        return listed;
    }

    /** Test and tooling view. */
    public java.util.Optional<TransactionMetadata> metadata(String transactionalId) {
        return java.util.Optional.ofNullable(transactions.get(transactionalId));
    }

    /**
     * Writes {@code next} to the log, then applies it; a transaction entering PrepareCommit or
     * PrepareAbort gets its markers requested. Answers the error Kafka's appendTransactionToLog maps
     * a storage failure to; nothing changes then.
     */
    private Errors tryWrite(TransactionMetadata next, long nowMs) {
        try {
            log.append(partition, List.of(TransactionRecordSerde.serialize(next)), nowMs);
        } catch (ApiException e) {
            LOG.warn("[transactional id {}] could not write {} to __transaction_state-{}: {}", next.transactionalId(), next.state(),
                    partition, e.getMessage());
            return appendError(e.error());
        } catch (RuntimeException e) {
            LOG.error("[transactional id {}] writing {} to __transaction_state-{} failed", next.transactionalId(), next.state(), partition, e);
            return Errors.UNKNOWN_SERVER_ERROR;
        }
        TransactionMetadata previous = transactions.put(next.transactionalId(), next);
        Invariants.check(previous == null || next.txnLastUpdateTimestampMs() >= previous.txnLastUpdateTimestampMs(),
                "transactional id %s went back in time", next.transactionalId());
        if (next.state().isPrepare()) {
            markerOutbox.add(markerRequest(next));
        }
        return Errors.NONE;
    }

    private MarkerRequest markerRequest(TransactionMetadata metadata) {
        return new MarkerRequest(metadata.transactionalId(), metadata.producerId(), metadata.producerEpoch(), coordinatorEpoch,
                metadata.state() == TransactionState.PREPARE_COMMIT, metadata.partitions());
    }

    /** Kafka's mapping of a failed {@code __transaction_state} append to what the client is told. */
    static Errors appendError(Errors error) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            default -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }
}
