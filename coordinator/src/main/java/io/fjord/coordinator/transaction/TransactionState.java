package io.fjord.coordinator.transaction;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one transactional id, persisted in {@code __transaction_state} by its Kafka id and
 * shown by DescribeTransactions/ListTransactions by its Kafka name. Classic ("transaction V1")
 * transitions only:
 *
 * <pre>
 * to                  from                                         on
 * Empty               Empty, CompleteCommit, CompleteAbort         InitProducerId (epoch bump or new producer id)
 * Ongoing             Empty, Ongoing, CompleteCommit, CompleteAbort AddPartitionsToTxn / AddOffsetsToTxn
 * PrepareCommit       Ongoing                                      EndTxn(commit)
 * PrepareAbort        Ongoing, PrepareEpochFence                   EndTxn(abort), InitProducerId fencing an open
 *                                                                  transaction, transaction timeout
 * CompleteCommit      PrepareCommit                                every COMMIT marker written
 * CompleteAbort       PrepareAbort                                 every ABORT marker written
 * PrepareEpochFence   Ongoing                                      (transient, never persisted; see below)
 * Dead                Empty, CompleteCommit, CompleteAbort         transactional.id.expiration.ms passed
 * </pre>
 * Kafka passes through PrepareEpochFence while its asynchronous log append of the fencing abort is
 * in flight. Fjord's coordinator appends synchronously on its event loop, so the fence (epoch bump)
 * and the abort are one record: Ongoing goes straight to PrepareAbort with the bumped epoch. The
 * state is kept so that the names and ids match Kafka's. Dead is written as a tombstone.
 */
public enum TransactionState {
    EMPTY((byte) 0, "Empty"),
    ONGOING((byte) 1, "Ongoing"),
    PREPARE_COMMIT((byte) 2, "PrepareCommit"),
    PREPARE_ABORT((byte) 3, "PrepareAbort"),
    COMPLETE_COMMIT((byte) 4, "CompleteCommit"),
    COMPLETE_ABORT((byte) 5, "CompleteAbort"),
    DEAD((byte) 6, "Dead"),
    PREPARE_EPOCH_FENCE((byte) 7, "PrepareEpochFence");

    private final byte id;
    private final String displayName;

    TransactionState(byte id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    public byte id() {
        return id;
    }

    /** Kafka's name, as DescribeTransactions and ListTransactions show it. */
    public String displayName() {
        return displayName;
    }

    public static TransactionState fromId(byte id) {
        for (TransactionState state : values()) {
            if (state.id == id) {
                return state;
            }
        }
        throw new IllegalStateException("corrupt transaction record: unknown state id " + id);
    }

    /** The state with Kafka's name {@code name} (case-insensitive), if any. */
    public static Optional<TransactionState> fromDisplayName(String name) {
        for (TransactionState state : values()) {
            if (state.displayName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    /** The states this one may be entered from (the table in the class doc). */
    public Set<TransactionState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case ONGOING -> EnumSet.of(EMPTY, ONGOING, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_COMMIT -> EnumSet.of(ONGOING);
            case PREPARE_ABORT -> EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE);
            case COMPLETE_COMMIT -> EnumSet.of(PREPARE_COMMIT);
            case COMPLETE_ABORT -> EnumSet.of(PREPARE_ABORT);
            case PREPARE_EPOCH_FENCE -> EnumSet.of(ONGOING);
            case DEAD -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
        };
    }

    /** True while COMMIT/ABORT markers are being written. */
    public boolean isPrepare() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** True when no transaction is open or ending: a new one may start. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
}
