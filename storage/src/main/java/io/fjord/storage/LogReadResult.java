package io.fjord.storage;

import io.fjord.record.BaseRecords;
import java.util.List;

/**
 * Whole batches from the fetch offset (a zero-copy file region), with the partition's offsets at
 * the time of the read. {@code abortedTransactions} is filled only for {@link FetchIsolation#TXN_COMMITTED}
 * reads: the aborted transactions overlapping the offsets returned (Fetch's AbortedTransactions);
 * it is empty otherwise, and the broker sends null for read_uncommitted as Kafka does.
 */
public record LogReadResult(BaseRecords records, long highWatermark, long logStartOffset, long logEndOffset,
                            long lastStableOffset, List<AbortedTransaction> abortedTransactions) {

    public LogReadResult {
        abortedTransactions = List.copyOf(abortedTransactions);
    }
}
