package io.fjord.storage;

/**
 * The result of {@link PartitionLog#appendAsLeader}: the offsets taken or, for a duplicate
 * ({@code duplicate = true}, nothing appended), the offsets the original batch got.
 * {@code logAppendTimeMs} is -1 unless the topic uses LogAppendTime. {@code flushDue}: the log now holds
 * {@code flush.messages} or more messages past its recovery point, and the caller should
 * {@link PartitionLog#flush(long) flush} it before acknowledging the append (as Kafka's append does).
 */
public record LogAppendResult(long firstOffset, long lastOffset, long logAppendTimeMs, long logStartOffset, boolean duplicate,
                              boolean flushDue) {
}
