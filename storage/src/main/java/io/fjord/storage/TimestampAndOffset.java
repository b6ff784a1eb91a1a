package io.fjord.storage;

/** A ListOffsets answer from {@link PartitionLog#fetchOffsetByTimestamp}; {@code leaderEpoch} is -1 when unknown. */
public record TimestampAndOffset(long timestamp, long offset, int leaderEpoch) {
}
