package io.fjord.storage;

/**
 * A transaction that a COMMIT or ABORT marker just ended: from the first offset of its first data
 * batch to the marker at {@code lastOffset}. {@code lastStableOffset} is what the partition's LSO
 * becomes as far as this transaction is concerned: the first offset of any other producer's
 * transaction still open, else {@code lastOffset + 1} (Kafka's {@code ProducerStateManager.lastStableOffset}).
 * Returned by {@link ProducerStateManager#update}; aborted ones go to the {@link TransactionIndex}.
 */
record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted, long lastStableOffset) {

    AbortedTxn asAbortedTxn() {
        return new AbortedTxn(producerId, firstOffset, lastOffset, lastStableOffset);
    }
}
