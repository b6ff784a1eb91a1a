package io.fjord.perf.consume;

import io.fjord.common.errors.ApiException;
import io.fjord.perf.PerfException;
import io.fjord.record.MemoryRecords;
import io.fjord.record.RecordBatchView;

/**
 * Walks the record batches of one partition's Fetch answer with {@link RecordBatchView} flyweights,
 * counting records from the batch headers (nothing is decompressed) and bytes as received, and
 * works out where the next fetch starts.
 *
 * <p>A broker may cut the answer at its byte limits in the middle of the last batch; that partial
 * batch is not counted and the next fetch starts at its base offset, i.e. right after the last
 * complete batch. Batches that end before the fetch offset (a fetch from inside a batch returns the
 * whole batch) are skipped; a batch that straddles it counts only its records from the fetch offset
 * on. Control batches (transaction markers) move the position but are not records.
 *
 * <p>Stateless between calls except for the totals; owned by the consume loop's thread.
 */
final class BatchCounter {

    private final boolean checkCrc;
    private long records;
    private long bytes;

    BatchCounter(boolean checkCrc) {
        this.checkCrc = checkCrc;
    }

    long records() {
        return records;
    }

    long bytes() {
        return bytes;
    }

    /** Counts the complete batches of {@code fetched} from {@code fetchOffset}; returns the next fetch offset. */
    long count(MemoryRecords fetched, long fetchOffset, String partitionName) {
        long position = fetchOffset;
        try {
            for (RecordBatchView batch : fetched.batches()) {
                if (checkCrc) {
                    batch.ensureValid();
                }
                long lastOffset = batch.lastOffset();
                if (lastOffset < position) {
                    continue;
                }
                if (!batch.isControlBatch()) {
                    long baseOffset = batch.baseOffset();
                    records += baseOffset >= position ? batch.recordsCount() : lastOffset - position + 1;
                }
                bytes += batch.sizeInBytes();
                position = lastOffset + 1;
            }
        } catch (ApiException e) {
            throw new PerfException("a bad record batch from " + partitionName + " near offset " + position + ": " + e.getMessage(), e);
        }
        return position;
    }
}
