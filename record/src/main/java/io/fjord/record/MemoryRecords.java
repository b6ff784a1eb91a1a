package io.fjord.record;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Record batches held in memory. Wraps the buffer from its position to its limit; the buffer is
 * shared, not copied (a produce request's records are a slice of the request frame).
 *
 * <p>{@link #batches()} walks the batches by their length fields only, bounded by the buffer: a
 * partial trailing batch (as a fetch may return) is not returned; a length field smaller than a
 * batch header is CORRUPT_MESSAGE. It does not check CRCs; see {@link #ensureValid()}.
 */
public record MemoryRecords(ByteBuffer buffer) implements BaseRecords {

    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    public MemoryRecords {
        Objects.requireNonNull(buffer, "buffer");
    }

    @Override
    public int sizeInBytes() {
        return buffer.remaining();
    }

    /** A fresh view over the same bytes, so readers never disturb each other's positions. */
    public ByteBuffer duplicateBuffer() {
        return buffer.duplicate();
    }

    /** The complete batches, in order; views share this buffer's bytes. */
    public Iterable<RecordBatchView> batches() {
        return () -> new BatchIterator(buffer.duplicate());
    }

    /** The complete batches in a list. */
    public List<RecordBatchView> batchList() {
        List<RecordBatchView> batches = new ArrayList<>();
        batches().forEach(batches::add);
        return batches;
    }

    /** Bytes covered by complete batches from the start; anything after is a partial batch. */
    public int sizeOfCompleteBatches() {
        int size = 0;
        for (RecordBatchView batch : batches()) {
            size = batch.position() + batch.sizeInBytes() - buffer.position();
        }
        return size;
    }

    /** Checks every batch's header, magic and CRC and that no partial batch trails; throws CORRUPT_MESSAGE. */
    public void ensureValid() {
        int validBytes = 0;
        for (RecordBatchView batch : batches()) {
            batch.ensureValid();
            validBytes += batch.sizeInBytes();
        }
        if (validBytes != sizeInBytes()) {
            throw new ApiException(Errors.CORRUPT_MESSAGE, (sizeInBytes() - validBytes) + " bytes of a partial batch after the last complete one");
        }
    }

    /** Iterates batches of {@code buffer} from its position to its limit. Not thread-safe. */
    private static final class BatchIterator implements Iterator<RecordBatchView> {
        private final ByteBuffer buffer;
        private int next;
        private RecordBatchView pending;

        BatchIterator(ByteBuffer buffer) {
            this.buffer = buffer;
            this.next = buffer.position();
        }

        @Override
        public boolean hasNext() {
            if (pending != null) {
                return true;
            }
            int remaining = buffer.limit() - next;
            if (remaining < RecordBatchView.LOG_OVERHEAD) {
                return false;
            }
            int batchLength = buffer.getInt(next + RecordBatchView.LENGTH_OFFSET);
            if (batchLength < RecordBatchView.RECORD_BATCH_OVERHEAD - RecordBatchView.LOG_OVERHEAD) {
                throw new ApiException(Errors.CORRUPT_MESSAGE, "batch length " + batchLength + " at position " + next + " is smaller than a batch header");
            }
            if (batchLength > remaining - RecordBatchView.LOG_OVERHEAD) {
                return false;
            }
            pending = new RecordBatchView(buffer, next);
            next += RecordBatchView.LOG_OVERHEAD + batchLength;
            return true;
        }

        @Override
        public RecordBatchView next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RecordBatchView batch = pending;
            pending = null;
            return batch;
        }
    }
}
