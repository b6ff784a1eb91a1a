package io.fjord.storage;

/** An OffsetForLeaderEpoch answer from {@link PartitionLog#endOffsetForEpoch}. */
public record EpochEndOffset(int leaderEpoch, long endOffset) {
}
