package io.fjord.storage;

import java.nio.ByteBuffer;

/**
 * One entry of a {@link TransactionIndex}: an aborted transaction of {@code producerId} whose
 * first data batch starts at {@code firstOffset} and whose ABORT marker is at {@code lastOffset};
 * {@code lastStableOffset} is the partition's last stable offset once the abort completed.
 * The byte layout is on {@link TransactionIndex}.
 */
record AbortedTxn(short version, long producerId, long firstOffset, long lastOffset, long lastStableOffset) {

    AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
        this(TransactionIndex.VERSION, producerId, firstOffset, lastOffset, lastStableOffset);
    }

    static AbortedTxn readFrom(ByteBuffer buffer) {
        return new AbortedTxn(buffer.getShort(), buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }

    void writeTo(ByteBuffer buffer) {
        buffer.putShort(version).putLong(producerId).putLong(firstOffset).putLong(lastOffset).putLong(lastStableOffset);
    }

    AbortedTransaction asAbortedTransaction() {
        return new AbortedTransaction(producerId, firstOffset);
    }
}
