package io.fjord.storage;

/**
 * An aborted transaction as Fetch's {@code AbortedTransactions} carries it (v4+): the producer and
 * the first offset of its aborted transaction. A read_committed consumer drops that producer's
 * batches from {@code firstOffset} until it meets the producer's ABORT marker.
 */
public record AbortedTransaction(long producerId, long firstOffset) {
}
