package io.fjord.storage;

import io.fjord.common.Invariants;
import io.fjord.record.FileRecords;
import io.fjord.record.Record;
import io.fjord.record.RecordBatchView;
import io.fjord.storage.TimeIndex.TimestampOffset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * One segment of a partition log: the {@code <base offset>.log} file of record batches stored
 * byte-for-byte as appended, with its {@code .index}, {@code .timeindex} and (created on the
 * first aborted transaction) {@code .txnindex}. File names are the
 * base offset as 20 zero-padded digits, as in Kafka.
 *
 * <p>Threading: {@link PartitionLog} serialises appends, truncation and rolling under its lock.
 * Reads ({@link #read}, {@link #translateOffset}, {@link #findOffsetByTimestamp}) are lock-free with
 * positional reads bounded by the volatile {@link #sizeInBytes()}, which is published only after
 * an append's bytes and index entries are written. Lifecycle: created or opened by the log, made
 * inactive by a roll ({@link #onBecomeInactiveSegment}: indexes trimmed), and finally either
 * closed or renamed to {@code .deleted} and physically deleted after {@code file.delete.delay.ms}
 * so a reader still holding a {@link FileRecords} region of it can finish.
 */
final class LogSegment {

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String TXN_INDEX_SUFFIX = ".txnindex";
    static final String DELETED_SUFFIX = ".deleted";

    /** What a scan of the log file found. */
    record RecoveryResult(int validBytes, long truncatedBytes, long nextOffset, int batches) {
    }

    /** What {@link #read} returns: the region and the offset after its last batch. */
    record SegmentRead(FileRecords records, long nextOffset) {
    }

    /** Where a batch lies in this segment. */
    record BatchLocation(int position, long baseOffset, long lastOffset, int sizeInBytes) {
    }

    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private final long createdMs;
    private volatile Path logFile;
    private volatile int sizeInBytes;
    private volatile long rollingBasedTimestamp = RecordBatchView.NO_TIMESTAMP;
    /** Largest batch max timestamp and the last offset of that batch; null until first needed. */
    private TimestampOffset maxTimestampAndOffset;
    private int bytesSinceLastIndexEntry;

    private LogSegment(Path dir, long baseOffset, LogConfig config, long createdMs) throws IOException {
        this.baseOffset = baseOffset;
        this.logFile = dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX);
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.sizeInBytes = (int) Math.min(Integer.MAX_VALUE, channel.size());
        this.offsetIndex = new OffsetIndex(dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX), baseOffset, config.segmentIndexBytes());
        this.timeIndex = new TimeIndex(dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX), baseOffset, config.segmentIndexBytes());
        this.txnIndex = new TransactionIndex(dir.resolve(filenamePrefix(baseOffset) + TXN_INDEX_SUFFIX), baseOffset);
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.createdMs = createdMs;
    }

    /** Opens the segment's files, creating any that are missing (a missing index comes up empty). */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        return new LogSegment(dir, baseOffset, config, nowMs);
    }

    static String filenamePrefix(long offset) {
        return String.format("%020d", offset);
    }

    long baseOffset() {
        return baseOffset;
    }

    int sizeInBytes() {
        return sizeInBytes;
    }

    FileChannel channel() {
        return channel;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    TransactionIndex txnIndex() {
        return txnIndex;
    }

    /** Records a transaction whose ABORT marker was just appended to this segment. */
    void appendAbortedTxn(AbortedTxn txn) throws IOException {
        txnIndex.append(txn);
    }

    /** See {@link TransactionIndex#collectAbortedTxns}. */
    boolean collectAbortedTxns(long fetchOffset, long upperBoundOffset, List<AbortedTxn> into) throws IOException {
        return txnIndex.collectAbortedTxns(fetchOffset, upperBoundOffset, into);
    }

    Path logFile() {
        return logFile;
    }

    boolean indexesFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /** Time to compare with {@code segment.ms}: the first batch's max timestamp, else the creation time. */
    long rollingBasedTimestamp() {
        long timestamp = rollingBasedTimestamp;
        return timestamp >= 0 ? timestamp : createdMs;
    }

    /**
     * Appends already-validated batches whose offsets run up to {@code largestOffset}. Writes the
     * bytes, then index entries (every {@code index.interval.bytes}), then publishes the new size.
     */
    void append(long largestOffset, long largestTimestampMs, long shallowOffsetOfMaxTimestamp, ByteBuffer records) throws IOException {
        int bytes = records.remaining();
        if (bytes == 0) {
            return;
        }
        Invariants.check(largestOffset - baseOffset <= Integer.MAX_VALUE && largestOffset >= baseOffset,
            "offset %d does not fit segment %d", largestOffset, baseOffset);
        int position = sizeInBytes;
        if (position == 0) {
            rollingBasedTimestamp = largestTimestampMs;
        }
        writeFully(records.duplicate(), position);
        TimestampOffset max = updateMaxTimestamp(largestTimestampMs, shallowOffsetOfMaxTimestamp);
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(largestOffset, position);
            timeIndex.maybeAppend(max.timestamp(), max.offset());
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += bytes;
        sizeInBytes = position + bytes;
    }

    private void writeFully(ByteBuffer source, long position) throws IOException {
        long at = position;
        while (source.hasRemaining()) {
            at += channel.write(source, at);
        }
    }

    private synchronized TimestampOffset updateMaxTimestamp(long timestamp, long offset) throws IOException {
        TimestampOffset current = maxTimestampAndOffset();
        if (timestamp > current.timestamp()) {
            maxTimestampAndOffset = new TimestampOffset(timestamp, offset);
        }
        return maxTimestampAndOffset;
    }

    /**
     * The largest batch max timestamp in the segment and the last offset of its batch; loaded on
     * first use from the time index's last entry plus a scan of the batches after it.
     */
    synchronized TimestampOffset maxTimestampAndOffset() throws IOException {
        if (maxTimestampAndOffset == null) {
            TimestampOffset last = timeIndex.lastEntry();
            long maxTimestamp = last.timestamp();
            long offset = last.offset();
            int position = offsetIndex.lookup(last.offset()).position();
            int limit = sizeInBytes;
            while (position < limit) {
                RecordBatchView header = readHeader(position, limit);
                if (header == null) {
                    break;
                }
                if (header.maxTimestamp() > maxTimestamp) {
                    maxTimestamp = header.maxTimestamp();
                    offset = header.lastOffset();
                }
                position += header.sizeInBytes();
            }
            maxTimestampAndOffset = new TimestampOffset(maxTimestamp, offset);
        }
        return maxTimestampAndOffset;
    }

    /** For time retention: the largest timestamp, or the file's modification time when there is none (as Kafka). */
    long largestTimestamp() throws IOException {
        long max = maxTimestampAndOffset().timestamp();
        return max >= 0 ? max : Files.getLastModifiedTime(logFile).toMillis();
    }

    /** Reads the 61-byte header of the batch at {@code position}; null when it does not fit before {@code limit}. */
    RecordBatchView readHeader(int position, int limit) throws IOException {
        if (limit - position < RecordBatchView.RECORD_BATCH_OVERHEAD) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(RecordBatchView.RECORD_BATCH_OVERHEAD);
        readFully(header, position);
        return new RecordBatchView(header.flip(), 0);
    }

    /** Reads the whole batch at {@code position} (its size taken from {@code header}). */
    RecordBatchView readBatch(int position, int size) throws IOException {
        ByteBuffer batch = ByteBuffer.allocate(size);
        readFully(batch, position);
        return new RecordBatchView(batch.flip(), 0);
    }

    private void readFully(ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int n = channel.read(target, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + logFile + " at " + at);
            }
            at += n;
        }
    }

    /**
     * The first batch whose last offset is {@code >= offset}, searching from the index entry at or
     * below it and never past {@code maxPosition}; null when the segment holds no such batch.
     */
    BatchLocation translateOffset(long offset, int maxPosition) throws IOException {
        int position = offsetIndex.lookup(offset).position();
        while (position < maxPosition) {
            RecordBatchView header = readHeader(position, maxPosition);
            if (header == null) {
                return null;
            }
            if (header.lastOffset() >= offset) {
                return new BatchLocation(position, header.baseOffset(), header.lastOffset(), header.sizeInBytes());
            }
            position += header.sizeInBytes();
        }
        return null;
    }

    /**
     * Whole batches from the one containing {@code startOffset}, up to {@code maxBytes} (at least one
     * when {@code minOneBatch}) and never past {@code maxPosition}; null when this segment has no
     * batch at or after {@code startOffset} below {@code maxPosition}. The returned next offset is
     * the offset after the last batch in the region (the first batch's base offset when it is empty).
     */
    SegmentRead read(long startOffset, int maxBytes, int maxPosition, boolean minOneBatch) throws IOException {
        return read(startOffset, maxBytes, maxPosition, minOneBatch, true);
    }

    /**
     * As {@link #read(long, int, int, boolean)}; with {@code wholeBatches} false the region is cut at
     * {@code maxBytes} without walking the batches, so it may end inside a batch, exactly as Kafka
     * serves consumers (clients drop a partial trailing batch and fetch it again). That saves one
     * header read per batch on every fetch; the returned next offset is then only the first
     * batch's base offset.
     */
    SegmentRead read(long startOffset, int maxBytes, int maxPosition, boolean minOneBatch, boolean wholeBatches) throws IOException {
        BatchLocation start = translateOffset(startOffset, maxPosition);
        if (start == null) {
            return null;
        }
        if (!wholeBatches) {
            int available = maxPosition - start.position();
            int wanted = minOneBatch ? Math.max(maxBytes, start.sizeInBytes()) : maxBytes;
            int size = Math.min(available, wanted);
            if (size < start.sizeInBytes() && !minOneBatch) {
                // Not even the first batch fits: send nothing rather than a fragment the client discards.
                size = 0;
            }
            return new SegmentRead(new FileRecords(channel, start.position(), size), start.baseOffset());
        }
        int end = start.position();
        int position = start.position();
        int size = start.sizeInBytes();
        long batchLastOffset = start.lastOffset();
        long nextOffset = start.baseOffset();
        while (position + size <= maxPosition) {
            boolean first = position == start.position();
            if (end - start.position() + size > maxBytes && !(first && minOneBatch)) {
                break;
            }
            end = position + size;
            nextOffset = batchLastOffset + 1;
            position = end;
            RecordBatchView next = readHeader(position, maxPosition);
            if (next == null) {
                break;
            }
            size = next.sizeInBytes();
            batchLastOffset = next.lastOffset();
        }
        return new SegmentRead(new FileRecords(channel, start.position(), end - start.position()), nextOffset);
    }

    /** The first record at or after {@code startingOffset} with timestamp {@code >= timestamp}. */
    Optional<TimestampAndOffset> findOffsetByTimestamp(long timestamp, long startingOffset, int maxDecompressedBytes) throws IOException {
        TimestampOffset indexed = timeIndex.lookup(timestamp);
        int position = offsetIndex.lookup(Math.max(indexed.offset(), startingOffset)).position();
        int limit = sizeInBytes;
        while (position < limit) {
            RecordBatchView header = readHeader(position, limit);
            if (header == null) {
                break;
            }
            if (header.maxTimestamp() >= timestamp && header.lastOffset() >= startingOffset) {
                RecordBatchView batch = readBatch(position, header.sizeInBytes());
                Iterator<Record> records = batch.records(maxDecompressedBytes);
                while (records.hasNext()) {
                    Record record = records.next();
                    if (record.timestamp() >= timestamp && record.offset() >= startingOffset) {
                        return Optional.of(new TimestampAndOffset(record.timestamp(), record.offset(), batch.partitionLeaderEpoch()));
                    }
                }
            }
            position += header.sizeInBytes();
        }
        return Optional.empty();
    }

    /** The offset after the last batch (the base offset when empty), scanning headers from the last index entry. */
    long readNextOffset() throws IOException {
        int limit = sizeInBytes;
        int position = offsetIndex.lastEntry().position();
        long next = baseOffset;
        while (position < limit) {
            RecordBatchView header = readHeader(position, limit);
            if (header == null) {
                break;
            }
            next = header.nextOffset();
            position += header.sizeInBytes();
        }
        return next;
    }

    /**
     * Validates every batch from the start (header bounds, magic, offsets increasing and in range,
     * CRC), rebuilds both indexes and truncates the file at the first invalid byte.
     */
    RecoveryResult recover(int maxIndexBytes) throws IOException {
        offsetIndex.reset(maxIndexBytes);
        timeIndex.reset(maxIndexBytes);
        long fileSize = channel.size();
        int validBytes = 0;
        int lastIndexEntry = 0;
        long nextOffset = baseOffset;
        long maxTimestamp = RecordBatchView.NO_TIMESTAMP;
        long offsetOfMaxTimestamp = baseOffset;
        int batches = 0;
        while (fileSize - validBytes >= RecordBatchView.RECORD_BATCH_OVERHEAD) {
            RecordBatchView header = readHeader(validBytes, (int) Math.min(Integer.MAX_VALUE, fileSize));
            int batchLength = header.batchLength();
            if (batchLength < RecordBatchView.RECORD_BATCH_OVERHEAD - RecordBatchView.LOG_OVERHEAD
                || validBytes + RecordBatchView.LOG_OVERHEAD + (long) batchLength > fileSize
                || header.magic() != RecordBatchView.MAGIC_V2
                || header.baseOffset() < nextOffset
                || header.lastOffsetDelta() < 0
                || header.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                break;
            }
            RecordBatchView batch = readBatch(validBytes, header.sizeInBytes());
            if (!batch.isValid()) {
                break;
            }
            if (batch.maxTimestamp() > maxTimestamp) {
                maxTimestamp = batch.maxTimestamp();
                offsetOfMaxTimestamp = batch.lastOffset();
            }
            if (validBytes - lastIndexEntry > indexIntervalBytes) {
                offsetIndex.append(batch.lastOffset(), validBytes);
                timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
                lastIndexEntry = validBytes;
            }
            if (batches == 0) {
                rollingBasedTimestamp = batch.maxTimestamp();
            }
            batches++;
            nextOffset = batch.nextOffset();
            validBytes += batch.sizeInBytes();
        }
        long truncated = fileSize - validBytes;
        if (truncated > 0) {
            channel.truncate(validBytes);
        }
        sizeInBytes = validBytes;
        synchronized (this) {
            maxTimestampAndOffset = new TimestampOffset(maxTimestamp, offsetOfMaxTimestamp);
        }
        bytesSinceLastIndexEntry = validBytes - lastIndexEntry;
        return new RecoveryResult(validBytes, truncated, nextOffset, batches);
    }

    /** Rebuilds the indexes only (corrupt or missing index on a clean start): same scan as {@link #recover}. */
    RecoveryResult rebuildIndexes(int maxIndexBytes) throws IOException {
        return recover(maxIndexBytes);
    }

    /** Checks both indexes against the log; throws {@link AbstractIndex.CorruptIndexException}. */
    void sanityCheckIndexes() {
        offsetIndex.sanityCheck(sizeInBytes);
        timeIndex.sanityCheck(sizeInBytes);
    }

    /** Reopens the indexes for appends (the last segment after load). */
    void makeActive(int maxIndexBytes) throws IOException {
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
    }

    /** A roll made this segment read-only: record the final max timestamp and trim the indexes. */
    void onBecomeInactiveSegment() throws IOException {
        TimestampOffset max = maxTimestampAndOffset();
        timeIndex.maybeAppend(max.timestamp(), max.offset());
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    void flush() throws IOException {
        channel.force(true);
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    /** Flushes, trims the indexes and closes the file. */
    void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        onBecomeInactiveSegment();
        flush();
        channel.close();
        txnIndex.close();
    }

    /** Appends {@code .deleted} to every file name; the channel stays open for in-flight readers. */
    void renameToDeleted() throws IOException {
        Path target = logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX);
        Files.move(logFile, target);
        logFile = target;
        offsetIndex.renameTo(offsetIndex.file().resolveSibling(offsetIndex.file().getFileName() + DELETED_SUFFIX));
        timeIndex.renameTo(timeIndex.file().resolveSibling(timeIndex.file().getFileName() + DELETED_SUFFIX));
        txnIndex.renameTo(txnIndex.file().resolveSibling(txnIndex.file().getFileName() + DELETED_SUFFIX));
    }

    /** Closes the channel and removes the files. */
    void deletePhysically() throws IOException {
        channel.close();
        Files.deleteIfExists(logFile);
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        txnIndex.deleteIfExists();
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + sizeInBytes + ")";
    }
}
