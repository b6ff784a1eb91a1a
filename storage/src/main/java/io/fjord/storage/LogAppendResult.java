package io.fjord.storage;

/**
 * The result of {@link PartitionLog#appendAsLeader}: the offsets taken or, for a duplicate
 * ({@code duplicate = true}, nothing appended), the offsets the original batch got.
 * {@code logAppendTimeMs} is -1 unless the topic uses LogAppendTime.
 */
public record LogAppendResult(long firstOffset, long lastOffset, long logAppendTimeMs, long logStartOffset, boolean duplicate) {
}
