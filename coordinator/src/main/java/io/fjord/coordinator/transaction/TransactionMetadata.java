package io.fjord.coordinator.transaction;

import io.fjord.common.Invariants;
import io.fjord.common.TopicPartition;

import java.util.HashSet;
import java.util.Set;

/**
 * What the coordinator knows about one transactional id, as persisted in {@code __transaction_state}.
 * Immutable: each transition returns the next value, which the shard writes to the log before it
 * replaces the old one in memory, so memory never runs ahead of the log.
 *
 * @param producerId               the producer id the transactional id currently uses
 * @param lastProducerId           the producer id before the last rotation (KIP-360 retries), -1 if none
 * @param producerEpoch            the current epoch; -1 only before the first InitProducerId completes
 * @param lastProducerEpoch        the epoch before the last client-requested bump (KIP-360 retries), -1 if none
 * @param txnTimeoutMs             the producer's {@code transaction.timeout.ms}
 * @param state                    see {@link TransactionState}
 * @param partitions               the partitions of the open (or ending) transaction
 * @param txnStartTimestampMs      when the open transaction added its first partition, -1 when none is open
 * @param txnLastUpdateTimestampMs when this value was last changed
 */
public record TransactionMetadata(String transactionalId, long producerId, long lastProducerId, short producerEpoch,
                                  short lastProducerEpoch, int txnTimeoutMs, TransactionState state,
                                  Set<TopicPartition> partitions, long txnStartTimestampMs, long txnLastUpdateTimestampMs) {

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
    }

    /** A new transactional id: its producer id is allocated, its epoch set by the first InitProducerId. */
    static TransactionMetadata create(String transactionalId, long producerId, int txnTimeoutMs, long nowMs) {
        return new TransactionMetadata(transactionalId, producerId, NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_PRODUCER_EPOCH,
                txnTimeoutMs, TransactionState.EMPTY, Set.of(), -1L, nowMs);
    }

    /**
     * Kafka never hands out epoch {@code Short.MAX_VALUE}: the coordinator must always be able to
     * fence the current producer by bumping once more.
     */
    static boolean isEpochExhausted(short epoch) {
        return epoch >= Short.MAX_VALUE - 1;
    }

    boolean isProducerEpochExhausted() {
        return isEpochExhausted(producerEpoch);
    }

    /** Empty with the next epoch (Kafka's prepareIncrementProducerEpoch); the caller has checked the expected epoch. */
    TransactionMetadata withBumpedEpoch(short newEpoch, short newLastEpoch, int newTimeoutMs, long nowMs) {
        return transition(TransactionState.EMPTY, producerId, lastProducerId, newEpoch, newLastEpoch, newTimeoutMs, Set.of(), -1L, nowMs);
    }

    /** Empty with a new producer id at epoch 0 (epoch exhaustion; Kafka's prepareProducerIdRotation). */
    TransactionMetadata withNewProducerId(long newProducerId, boolean recordLastEpoch, int newTimeoutMs, long nowMs) {
        short last = recordLastEpoch ? producerEpoch : NO_PRODUCER_EPOCH;
        return transition(TransactionState.EMPTY, newProducerId, producerId, (short) 0, last, newTimeoutMs, Set.of(), -1L, nowMs);
    }

    /** Ongoing with {@code added} partitions; a transaction starting now gets its start time. */
    TransactionMetadata withAddedPartitions(Set<TopicPartition> added, long nowMs) {
        Set<TopicPartition> all = new HashSet<>(partitions);
        all.addAll(added);
        long startMs = state == TransactionState.ONGOING ? txnStartTimestampMs : nowMs;
        return transition(TransactionState.ONGOING, producerId, lastProducerId, producerEpoch, lastProducerEpoch, txnTimeoutMs, all, startMs, nowMs);
    }

    /** PrepareCommit or PrepareAbort, keeping the partitions the markers go to. */
    TransactionMetadata prepareEnd(boolean commit, long nowMs) {
        return transition(commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT, producerId, lastProducerId,
                producerEpoch, lastProducerEpoch, txnTimeoutMs, partitions, txnStartTimestampMs, nowMs);
    }

    /**
     * Fences the current producer and aborts its transaction in one step: PrepareAbort with the epoch
     * bumped, so markers carry the new epoch and the old producer's writes are rejected. The new
     * epoch is never returned to a client (Kafka's prepareFenceProducerEpoch then abort).
     */
    TransactionMetadata prepareFencingAbort(long nowMs) {
        Invariants.check(state == TransactionState.ONGOING, "fencing %s in state %s", transactionalId, state);
        short bumped = producerEpoch == Short.MAX_VALUE ? producerEpoch : (short) (producerEpoch + 1);
        return transition(TransactionState.PREPARE_ABORT, producerId, lastProducerId, bumped, NO_PRODUCER_EPOCH, txnTimeoutMs,
                partitions, txnStartTimestampMs, nowMs);
    }

    /** CompleteCommit or CompleteAbort once every marker is written. */
    TransactionMetadata complete(long nowMs) {
        TransactionState next = state == TransactionState.PREPARE_COMMIT ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        return transition(next, producerId, lastProducerId, producerEpoch, lastProducerEpoch, txnTimeoutMs, Set.of(), txnStartTimestampMs, nowMs);
    }

    private TransactionMetadata transition(TransactionState next, long newProducerId, long newLastProducerId, short newEpoch,
                                           short newLastEpoch, int newTimeoutMs, Set<TopicPartition> newPartitions, long startMs, long nowMs) {
        Invariants.check(next.validPreviousStates().contains(state), "transactional id %s cannot go from %s to %s",
                transactionalId, state, next);
        Invariants.check(newProducerId >= 0 && newEpoch >= 0, "transactional id %s: illegal producer id %d epoch %d",
                transactionalId, newProducerId, newEpoch);
        return new TransactionMetadata(transactionalId, newProducerId, newLastProducerId, newEpoch, newLastEpoch, newTimeoutMs,
                next, newPartitions, startMs, Math.max(nowMs, txnLastUpdateTimestampMs));
    }
}
