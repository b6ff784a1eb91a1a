package io.fjord.record;

/**
 * What one pass over a batch's records learnt, without materializing a single record: see
 * {@link RecordBatchView#scanRecords(int)}. Timestamps are the records' effective timestamps (the
 * batch's max timestamp for LogAppendTime batches).
 *
 * @param maxTimestamp          the largest timestamp, or {@link RecordBatchView#NO_TIMESTAMP} if none is larger
 * @param minSetTimestamp       the smallest timestamp other than NO_TIMESTAMP, or {@code Long.MAX_VALUE} if none
 * @param maxSetTimestamp       the largest timestamp other than NO_TIMESTAMP, or {@code Long.MIN_VALUE} if none
 * @param firstBadOffsetDelta   index of the first record whose offset delta is not its index, or -1
 * @param badOffsetDelta        that record's offset delta (meaningless when there is none)
 * @param nullKeys              how many records have a null key
 */
public record RecordsSummary(long maxTimestamp, long minSetTimestamp, long maxSetTimestamp, int firstBadOffsetDelta,
                             int badOffsetDelta, int nullKeys) {

    public boolean offsetDeltasSequential() {
        return firstBadOffsetDelta < 0;
    }
}
