package io.fjord.storage;

import io.fjord.common.Time;
import io.fjord.common.TopicPartition;
import io.fjord.common.Uuid;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.record.BaseRecords;
import io.fjord.record.EndTxnMarker;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;
import io.fjord.record.Record;
import io.fjord.record.RecordBatchView;
import io.fjord.record.TimestampType;
import io.fjord.storage.LogValidator.ValidatedBatch;
import io.fjord.storage.LogValidator.ValidatedRecords;
import io.fjord.storage.TimeIndex.TimestampOffset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;

/**
 * The log of one partition: a sequence of {@link LogSegment}s in {@code <log dir>/<topic>-<partition>/},
 * with the leader epoch cache and producer state that belong to it (Kafka's {@code UnifiedLog}).
 *
 * <p>Threading: appends, rolls, truncation, retention and config changes serialise on one
 * lock. Flushes do not hold it while they fsync ({@link #flush(long)}, as Kafka's {@code UnifiedLog.flush}):
 * an append never waits for the disk, and the append that reaches {@code flush.messages} only reports
 * it ({@link LogAppendResult#flushDue}) for its caller to flush off the network thread. A roll hands
 * the fsync of the segments it closed to the log manager's roll flusher, which runs it a while later
 * ({@link #flushBelow}, Kafka's {@code flushUptoOffsetExclusive}; the delay is in {@link LogManager}),
 * so a crash recovers from about the active segment on, not from the last explicit flush. Reads ({@link #read},
 * {@link #fetchOffsetByTimestamp}, the offset getters) take no lock:
 * they work on the concurrent segment map and on volatile snapshots ({@link #logEnd}, log start
 * offset, high watermark). The log end is published after the bytes and indexes are written, so
 * a reader never sees a partial append. A segment removed by retention stays readable through
 * the {@link FileRecords} already handed out until {@code file.delete.delay.ms} has passed.
 *
 * <p>Transactions (KIP-98): the producer state tracks each producer's open transaction; the last
 * stable offset ({@link #lastStableOffset}) is republished under the lock after every append,
 * high-watermark change and log-start move. An ABORT marker adds an entry to the active segment's
 * {@code .txnindex}; {@link #collectAbortedTransactions} and read_committed reads
 * ({@link #read(long, int, boolean, FetchIsolation)}) search those indexes lock-free.
 *
 * <p>Lifecycle: created or loaded by {@link LogManager}, closed by its shutdown (flush, producer
 * snapshot, trimmed indexes) or deleted with its topic. An I/O failure takes the log offline
 * (every later call fails with KAFKA_STORAGE_ERROR) and is reported once to the
 * {@link LogDirFailureHandler}.
 */
public final class PartitionLog {

    /** Log end offset with where it is on disk, published together. */
    private record LogEnd(long offset, long segmentBaseOffset, int position) {
    }

    private record PendingDeletion(LogSegment segment, long deleteAtMs) {
    }

    public static final long LATEST_TIMESTAMP = -1L;
    public static final long EARLIEST_TIMESTAMP = -2L;
    public static final long MAX_TIMESTAMP = -3L;
    public static final long EARLIEST_LOCAL_TIMESTAMP = -4L;

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final Path logDir;
    private final Time time;
    private final LogDirFailureHandler failureHandler;
    private final ReentrantLock lock = new ReentrantLock();
    /** Serialises flushes of this log; appends never take it. */
    private final ReentrantLock flushLock = new ReentrantLock();
    /** Where a roll sends the fsync of the segments it closed ({@link #flushBelow}); null: rolls do not flush. */
    private final Executor rollFlusher;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final LeaderEpochCache epochCache;
    private final ProducerStateManager producerState;
    private final LogLoadStats loadStats;
    private final List<PendingDeletion> pendingDeletions = new ArrayList<>();
    private volatile Path dir;
    private volatile LogConfig config;
    private volatile LogEnd logEnd;
    private volatile long logStartOffset;
    private volatile long highWatermark;
    /** min(first unstable offset clamped to the log start offset, high watermark); republished under the lock. */
    private volatile long lastStableOffset;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile boolean offline;
    private volatile boolean closed;

    private PartitionLog(Path dir, TopicPartition topicPartition, Uuid topicId, LogConfig config, Time time,
                         LogDirFailureHandler failureHandler, Executor rollFlusher, LogLoader.LoadedLog loaded) {
        this.dir = dir;
        this.logDir = dir.getParent();
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.config = config;
        this.time = time;
        this.failureHandler = failureHandler;
        this.rollFlusher = rollFlusher;
        this.segments = loaded.segments();
        this.epochCache = loaded.epochCache();
        this.producerState = loaded.producerState();
        this.loadStats = loaded.stats();
        LogSegment active = segments.lastEntry().getValue();
        this.logEnd = new LogEnd(loaded.logEndOffset(), active.baseOffset(), active.sizeInBytes());
        this.logStartOffset = loaded.logStartOffset();
        // Single node: everything in the log was acknowledged. Replication will checkpoint the HW.
        this.highWatermark = loaded.logEndOffset();
        this.producerState.onHighWatermarkUpdated(highWatermark);
        this.lastStableOffset = computeLastStableOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.lastFlushMs = time.milliseconds();
    }

    /**
     * Loads (recovering if needed) or creates the log in {@code dir}. Called by {@link LogManager}, whose
     * {@code rollFlusher} runs the fsync of the segments each roll closes (null: they wait for the next flush).
     */
    static PartitionLog load(Path dir, TopicPartition topicPartition, Uuid topicId, LogConfig config, LogLoadCheckpoints checkpoints,
                             Time time, LogDirFailureHandler failureHandler, Executor rollFlusher) throws IOException {
        LogLoader.LoadedLog loaded = LogLoader.load(dir, config, checkpoints.recoveryPoint(), checkpoints.logStartOffset(),
            checkpoints.hadCleanShutdown(), time.milliseconds());
        return new PartitionLog(dir, topicPartition, topicId, config, time, failureHandler, rollFlusher, loaded);
    }

    /** What the log dir's checkpoint files say about this partition. */
    record LogLoadCheckpoints(long recoveryPoint, long logStartOffset, boolean hadCleanShutdown) {
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    public LogLoadStats loadStats() {
        return loadStats;
    }

    public void updateConfig(LogConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig");
        lock.lock();
        try {
            this.config = newConfig;
        } finally {
            lock.unlock();
        }
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEnd.offset();
    }

    public long highWatermark() {
        return highWatermark;
    }

    /**
     * Sets the high watermark, clamped to [log start offset, log end offset]. Transactions whose
     * marker falls below it become stable, so the last stable offset may move too.
     */
    public void updateHighWatermark(long newHighWatermark) {
        lock.lock();
        try {
            highWatermark = Math.min(logEnd.offset(), Math.max(logStartOffset, newHighWatermark));
            producerState.onHighWatermarkUpdated(highWatermark);
            lastStableOffset = computeLastStableOffset();
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #updateHighWatermark}, but never lowers it: for callers that may finish out of order (flushes). */
    public void advanceHighWatermark(long newHighWatermark) {
        lock.lock();
        try {
            if (newHighWatermark > highWatermark) {
                updateHighWatermark(newHighWatermark);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The last stable offset (LSO): the first offset of the oldest transaction that is still open,
     * or whose COMMIT/ABORT marker is not yet below the high watermark, but at most the high
     * watermark and at least the log start offset (DeleteRecords and retention may pass an open
     * transaction's first offset, as in Kafka). read_committed consumers read below it.
     */
    public long lastStableOffset() {
        return lastStableOffset;
    }

    /** Kafka's UnifiedLog: a first unstable offset below the log start offset counts as the log start offset. */
    private long computeLastStableOffset() {
        long hw = highWatermark;
        OptionalLong firstUnstable = producerState.firstUnstableOffset();
        if (firstUnstable.isEmpty()) {
            return hw;
        }
        return Math.min(hw, Math.max(logStartOffset, firstUnstable.getAsLong()));
    }

    /** The offset up to which data is known to be fsynced (checkpointed as the recovery point). */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    public LogAppendResult appendAsLeader(MemoryRecords records, int leaderEpoch, long nowMs) {
        return appendAsLeader(records, leaderEpoch, nowMs, AppendOrigin.CLIENT);
    }

    /**
     * Validates every batch, then (only if all pass) assigns offsets and the leader epoch in place,
     * rewrites LogAppendTime, rolls if needed and appends. A retry of a batch the producer state
     * still remembers returns the original offsets with {@code duplicate = true} and appends nothing.
     * Failures are {@link ApiException}s carrying the partition's error code.
     */
    public LogAppendResult appendAsLeader(MemoryRecords records, int leaderEpoch, long nowMs, AppendOrigin origin) {
        lock.lock();
        try {
            ensureWritable();
            LogConfig cfg = config;
            ValidatedRecords validated = LogValidator.validate(records, cfg, nowMs, origin);
            List<RecordBatchView> batches = new ArrayList<>(validated.batches().size());
            List<EndTxnMarker> markers = new ArrayList<>(validated.batches().size());
            for (ValidatedBatch batch : validated.batches()) {
                batches.add(batch.batch());
                markers.add(batch.marker());
            }
            if (origin == AppendOrigin.CLIENT) {
                Optional<BatchMetadata> duplicate = producerState.findDuplicate(batches);
                if (duplicate.isPresent()) {
                    BatchMetadata original = duplicate.get();
                    return new LogAppendResult(original.firstOffset(), original.lastOffset(), -1L, logStartOffset, true, false);
                }
            }
            producerState.validateAppend(batches, markers, origin);
            return append(validated, leaderEpoch, nowMs, cfg);
        } catch (IOException e) {
            throw ioFailure("appending to " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    private LogAppendResult append(ValidatedRecords validated, int leaderEpoch, long nowMs, LogConfig cfg) throws IOException {
        boolean logAppendTime = cfg.messageTimestampType() == TimestampType.LOG_APPEND_TIME;
        long firstOffset = logEnd.offset();
        long nextOffset = firstOffset;
        long maxTimestamp = RecordBatchView.NO_TIMESTAMP;
        long offsetOfMaxTimestamp = firstOffset;
        for (ValidatedBatch validatedBatch : validated.batches()) {
            RecordBatchView batch = validatedBatch.batch();
            batch.setBaseOffset(nextOffset);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (logAppendTime) {
                batch.setMaxTimestampAndLogAppendTime(nowMs);
            } else if (batch.maxTimestamp() != validatedBatch.maxTimestamp()) {
                // Kafka rewrites a wrong max timestamp rather than rejecting the batch.
                batch.setMaxTimestamp(TimestampType.CREATE_TIME, validatedBatch.maxTimestamp());
            }
            if (batch.maxTimestamp() > maxTimestamp) {
                maxTimestamp = batch.maxTimestamp();
                offsetOfMaxTimestamp = batch.lastOffset();
            }
            nextOffset = batch.nextOffset();
        }
        long lastOffset = nextOffset - 1;
        LogSegment segment = maybeRoll(validated.records().sizeInBytes(), maxTimestamp, lastOffset, nowMs, cfg);
        segment.append(lastOffset, maxTimestamp, offsetOfMaxTimestamp, validated.records().buffer());
        if (leaderEpoch >= 0 && leaderEpoch > epochCache.latestEpoch()) {
            epochCache.assign(leaderEpoch, firstOffset);
        }
        for (ValidatedBatch batch : validated.batches()) {
            Optional<CompletedTxn> completed = producerState.update(batch.batch(), batch.marker());
            if (completed.isPresent() && completed.get().aborted()) {
                segment.appendAbortedTxn(completed.get().asAbortedTxn());
            }
        }
        logEnd = new LogEnd(nextOffset, segment.baseOffset(), segment.sizeInBytes());
        // A reader that sees the new log end with the old LSO is safe: the old LSO is at most the
        // high watermark, below everything this append added.
        lastStableOffset = computeLastStableOffset();
        // Kafka's unflushedMessages: the offsets past the recovery point.
        boolean flushDue = nextOffset - recoveryPoint >= cfg.flushMessages();
        return new LogAppendResult(firstOffset, lastOffset, logAppendTime ? nowMs : -1L, logStartOffset, false, flushDue);
    }

    /** Kafka's shouldRoll: segment full, segment.ms (minus jitter) passed, an index full, or offsets too far apart. */
    private LogSegment maybeRoll(int messagesSize, long maxTimestampInMessages, long lastOffset, long nowMs, LogConfig cfg) throws IOException {
        LogSegment segment = segments.lastEntry().getValue();
        int size = segment.sizeInBytes();
        long timeWaited = segment.rollingBasedTimestamp() >= 0 && maxTimestampInMessages >= 0
            ? Math.max(0, maxTimestampInMessages - segment.rollingBasedTimestamp())
            : nowMs - segment.rollingBasedTimestamp();
        boolean roll = size > cfg.segmentBytes() - messagesSize
            || (size > 0 && timeWaited > cfg.segmentMs() - segmentJitterMs(segment.baseOffset(), cfg))
            || segment.indexesFull()
            || lastOffset - segment.baseOffset() > Integer.MAX_VALUE;
        return roll ? roll(nowMs) : segment;
    }

    private long segmentJitterMs(long baseOffset, LogConfig cfg) {
        if (cfg.segmentJitterMs() == 0) {
            return 0;
        }
        // Deterministic per segment instead of Kafka's random draw, so tests and simulations repeat.
        return Math.floorMod(Objects.hash(topicPartition, baseOffset), Math.min(cfg.segmentJitterMs(), cfg.segmentMs()));
    }

    /** Starts a new active segment at the log end offset (no-op when the active segment is empty). */
    private LogSegment roll(long nowMs) throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        long newBaseOffset = logEnd.offset();
        if (active.baseOffset() == newBaseOffset && active.sizeInBytes() == 0) {
            return active;
        }
        active.onBecomeInactiveSegment();
        producerState.setMapEndOffset(newBaseOffset);
        producerState.takeSnapshot();
        LogSegment segment = LogSegment.open(dir, newBaseOffset, config, nowMs);
        segment.makeActive(config.segmentIndexBytes());
        segments.put(newBaseOffset, segment);
        logEnd = new LogEnd(newBaseOffset, newBaseOffset, 0);
        if (rollFlusher != null) {
            try {
                rollFlusher.execute(() -> flushBelowInBackground(newBaseOffset));
            } catch (RejectedExecutionException e) {
                // Shutting down: close() flushes everything.
            }
        }
        return segment;
    }

    /** Forces a roll now (tests, and the broker when asked to roll). */
    public void roll() {
        lock.lock();
        try {
            ensureWritable();
            roll(time.milliseconds());
        } catch (IOException e) {
            throw ioFailure("rolling " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whole batches from the batch containing {@code fetchOffset}, at most {@code maxBytes} (but at
     * least one batch when {@code minOneBatch}) and never at or past {@code maxOffsetExclusive}.
     * The result is a zero-copy file region, with no aborted transactions (see the
     * {@link FetchIsolation} overload for consumer fetches). Offsets outside [log start, log end]
     * are OFFSET_OUT_OF_RANGE.
     */
    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneBatch, long maxOffsetExclusive) {
        ensureReadable();
        ReadBounds bounds = readBounds();
        ReadRegion region = readRegion(fetchOffset, maxBytes, minOneBatch, maxOffsetExclusive, bounds, true);
        return bounds.result(region.records(), List.of());
    }

    /**
     * A consumer or follower read bounded by {@code isolation}: the log end offset, the high
     * watermark (read_uncommitted) or the last stable offset (read_committed). A
     * {@link FetchIsolation#TXN_COMMITTED} read also carries the aborted transactions that
     * overlap the offsets it returns, from {@code fetchOffset} to the offset after its last batch.
     */
    public LogReadResult read(long fetchOffset, int maxBytes, boolean minOneBatch, FetchIsolation isolation) {
        ensureReadable();
        ReadBounds bounds = readBounds();
        long maxOffsetExclusive = switch (isolation) {
            case LOG_END -> bounds.logEndOffset();
            case HIGH_WATERMARK -> bounds.highWatermark();
            case TXN_COMMITTED -> bounds.lastStableOffset();
        };
        // read_committed needs the offset after the last whole batch (the aborted-transaction range);
        // other reads are cut at maxBytes like Kafka's, possibly inside the last batch.
        ReadRegion region = readRegion(fetchOffset, maxBytes, minOneBatch, maxOffsetExclusive, bounds,
                isolation == FetchIsolation.TXN_COMMITTED);
        if (isolation != FetchIsolation.TXN_COMMITTED || region.nextOffset() <= fetchOffset) {
            return bounds.result(region.records(), List.of());
        }
        return bounds.result(region.records(), collectAbortedTransactions(fetchOffset, region.nextOffset()));
    }

    /** The partition's offsets as one read sees them (LSO and HW are read before the log end, so neither passes it). */
    private record ReadBounds(LogEnd end, long logStartOffset, long highWatermark, long lastStableOffset) {
        long logEndOffset() {
            return end.offset();
        }

        LogReadResult result(BaseRecords records, List<AbortedTransaction> aborted) {
            return new LogReadResult(records, highWatermark, logStartOffset, end.offset(), lastStableOffset, aborted);
        }
    }

    private record ReadRegion(BaseRecords records, long nextOffset) {
    }

    private ReadBounds readBounds() {
        long lso = lastStableOffset;
        long hw = highWatermark;
        long startOffset = logStartOffset;
        return new ReadBounds(logEnd, startOffset, hw, lso);
    }

    private ReadRegion readRegion(long fetchOffset, int maxBytes, boolean minOneBatch, long maxOffsetExclusive, ReadBounds bounds,
                                  boolean wholeBatches) {
        LogEnd end = bounds.end();
        if (fetchOffset < bounds.logStartOffset() || fetchOffset > end.offset()) {
            throw new ApiException(Errors.OFFSET_OUT_OF_RANGE, "offset " + fetchOffset + " is outside [" + bounds.logStartOffset() + ", "
                + end.offset() + "] of " + topicPartition);
        }
        long limitOffset = Math.min(maxOffsetExclusive, end.offset());
        if (fetchOffset >= limitOffset || (maxBytes <= 0 && !minOneBatch)) {
            // Nothing to read, or no room for any of it: a fetch whose byte budget is spent still
            // reports this partition's offsets, without an index lookup and a header read per partition.
            return new ReadRegion(MemoryRecords.EMPTY, fetchOffset);
        }
        try {
            Map.Entry<Long, LogSegment> entry = segments.floorEntry(fetchOffset);
            while (entry != null && entry.getKey() <= end.segmentBaseOffset() && (entry.getKey() < limitOffset || entry.getKey() <= fetchOffset)) {
                LogSegment segment = entry.getValue();
                int maxPosition = maxPosition(segment, end, limitOffset);
                LogSegment.SegmentRead read = segment.read(fetchOffset, maxBytes, maxPosition, minOneBatch, wholeBatches);
                if (read != null) {
                    return new ReadRegion(read.records(), read.nextOffset());
                }
                entry = segments.higherEntry(entry.getKey());
            }
            return new ReadRegion(MemoryRecords.EMPTY, fetchOffset);
        } catch (IOException e) {
            throw ioFailure("reading " + topicPartition, e);
        }
    }

    /**
     * Fetch's AbortedTransactions: every aborted transaction with {@code lastOffset >= fetchOffset}
     * and {@code firstOffset < upperBoundOffset} (Kafka's {@code collectAbortedTransactions}),
     * ordered by marker offset. Searches the transaction indexes from the segment holding
     * {@code fetchOffset} on, stopping once an entry's last stable offset reaches the upper bound.
     * Lock-free, like {@link #read}.
     */
    public List<AbortedTransaction> collectAbortedTransactions(long fetchOffset, long upperBoundOffset) {
        ensureReadable();
        List<AbortedTxn> found = new ArrayList<>();
        try {
            Long from = segments.floorKey(fetchOffset);
            // Segments past the upper bound still count: an ABORT there may end a transaction that began below it.
            for (LogSegment segment : segments.tailMap(from == null ? segments.firstKey() : from, true).values()) {
                if (segment.collectAbortedTxns(fetchOffset, upperBoundOffset, found)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw ioFailure("reading the transaction index of " + topicPartition, e);
        }
        List<AbortedTransaction> aborted = new ArrayList<>(found.size());
        for (AbortedTxn txn : found) {
            aborted.add(txn.asAbortedTransaction());
        }
        return aborted;
    }

    /** The byte position in {@code segment} that a read must stop at to respect the log end and {@code limitOffset}. */
    private static int maxPosition(LogSegment segment, LogEnd end, long limitOffset) throws IOException {
        int maxPosition = segment.baseOffset() == end.segmentBaseOffset() ? end.position() : segment.sizeInBytes();
        if (limitOffset < end.offset() && limitOffset >= segment.baseOffset()) {
            LogSegment.BatchLocation limit = segment.translateOffset(limitOffset, maxPosition);
            if (limit != null) {
                maxPosition = limit.position();
            }
        }
        return maxPosition;
    }

    /**
     * ListOffsets: the first record with timestamp {@code >= timestampMs}, or the special targets
     * {@link #LATEST_TIMESTAMP}, {@link #EARLIEST_TIMESTAMP}, {@link #EARLIEST_LOCAL_TIMESTAMP} and
     * {@link #MAX_TIMESTAMP} (the record with the largest timestamp, KIP-734). Empty when no record qualifies.
     */
    public Optional<TimestampAndOffset> fetchOffsetByTimestamp(long timestampMs) {
        ensureReadable();
        long startOffset = logStartOffset;
        long endOffset = logEnd.offset();
        if (timestampMs == EARLIEST_TIMESTAMP || timestampMs == EARLIEST_LOCAL_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(RecordBatchView.NO_TIMESTAMP, startOffset, epochCache.epochForOffset(startOffset)));
        }
        if (timestampMs == LATEST_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(RecordBatchView.NO_TIMESTAMP, endOffset, epochCache.latestEpoch()));
        }
        try {
            if (timestampMs == MAX_TIMESTAMP) {
                return maxTimestampRecord(startOffset);
            }
            if (timestampMs < 0) {
                throw new ApiException(Errors.INVALID_REQUEST, "unsupported ListOffsets timestamp " + timestampMs);
            }
            int limit = LogValidator.decompressionLimit(config);
            for (LogSegment segment : segments.values()) {
                if (segment.maxTimestampAndOffset().timestamp() >= timestampMs) {
                    Optional<TimestampAndOffset> found = segment.findOffsetByTimestamp(timestampMs, startOffset, limit);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw ioFailure("searching " + topicPartition + " by timestamp", e);
        }
    }

    /**
     * ListOffsets with an isolation level, as Kafka's {@code Partition.fetchOffsetForTimestamp}:
     * {@link #LATEST_TIMESTAMP} answers the last fetchable offset (the high watermark for
     * read_uncommitted, the last stable offset for read_committed, the log end offset for
     * {@link FetchIsolation#LOG_END}); a timestamp lookup whose answer is at or past that offset
     * answers nothing. The earliest targets are unaffected.
     */
    public Optional<TimestampAndOffset> fetchOffsetByTimestamp(long timestampMs, FetchIsolation isolation) {
        ensureReadable();
        long lastFetchableOffset = switch (isolation) {
            case LOG_END -> logEnd.offset();
            case HIGH_WATERMARK -> highWatermark;
            case TXN_COMMITTED -> lastStableOffset;
        };
        if (timestampMs == LATEST_TIMESTAMP) {
            return Optional.of(new TimestampAndOffset(RecordBatchView.NO_TIMESTAMP, lastFetchableOffset, epochCache.latestEpoch()));
        }
        Optional<TimestampAndOffset> found = fetchOffsetByTimestamp(timestampMs);
        if (timestampMs == EARLIEST_TIMESTAMP || timestampMs == EARLIEST_LOCAL_TIMESTAMP) {
            return found;
        }
        return found.filter(t -> t.offset() < lastFetchableOffset);
    }

    private Optional<TimestampAndOffset> maxTimestampRecord(long startOffset) throws IOException {
        LogSegment best = null;
        TimestampOffset bestMax = null;
        for (LogSegment segment : segments.values()) {
            TimestampOffset max = segment.maxTimestampAndOffset();
            if (max.timestamp() >= 0 && (bestMax == null || max.timestamp() > bestMax.timestamp())) {
                best = segment;
                bestMax = max;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        // The index remembers the batch; the answer is the first record in it carrying that timestamp.
        LogSegment.BatchLocation location = best.translateOffset(bestMax.offset(), best.sizeInBytes());
        if (location == null) {
            return Optional.empty();
        }
        RecordBatchView batch = best.readBatch(location.position(), location.sizeInBytes());
        Iterator<Record> records = batch.records(LogValidator.decompressionLimit(config));
        while (records.hasNext()) {
            Record record = records.next();
            if (record.timestamp() == bestMax.timestamp() && record.offset() >= startOffset) {
                return Optional.of(new TimestampAndOffset(record.timestamp(), record.offset(), batch.partitionLeaderEpoch()));
            }
        }
        return Optional.empty();
    }

    /**
     * DeleteRecords: moves the log start offset up to {@code offset} (at most the high watermark,
     * else OFFSET_OUT_OF_RANGE) and deletes segments entirely below it. Returns the new log start offset.
     */
    public long deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            ensureWritable();
            if (offset > highWatermark) {
                throw new ApiException(Errors.OFFSET_OUT_OF_RANGE, "cannot delete records of " + topicPartition + " before " + offset
                    + ", above the high watermark " + highWatermark);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                epochCache.truncateFromStart(offset);
                deleteSegments(logStartBreached(), time.milliseconds());
                lastStableOffset = computeLastStableOffset();
            }
            return logStartOffset;
        } catch (IOException e) {
            throw ioFailure("deleting records of " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retention: with "delete" in cleanup.policy, deletes the oldest segments whose largest timestamp
     * is older than retention.ms, then oldest segments while the log exceeds retention.bytes; always
     * deletes segments wholly below the log start offset. Only segments below the high watermark
     * go; when every segment (active included) goes, a new empty active segment is rolled first.
     * Returns how many segments were deleted.
     */
    public int deleteRetentionExpiredSegments(long nowMs) {
        lock.lock();
        try {
            ensureWritable();
            LogConfig cfg = config;
            int deleted = 0;
            if (cfg.delete() && cfg.retentionMs() >= 0) {
                deleted += deleteSegments(timeBreached(nowMs, cfg.retentionMs()), nowMs);
            }
            if (cfg.delete() && cfg.retentionBytes() >= 0) {
                deleted += deleteSegments(sizeBreached(cfg.retentionBytes()), nowMs);
            }
            deleted += deleteSegments(logStartBreached(), nowMs);
            return deleted;
        } catch (IOException e) {
            throw ioFailure("applying retention to " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    private BiPredicate<LogSegment, LogSegment> timeBreached(long nowMs, long retentionMs) {
        return (segment, next) -> {
            try {
                return nowMs - segment.largestTimestamp() > retentionMs;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private BiPredicate<LogSegment, LogSegment> sizeBreached(long retentionBytes) {
        long[] excess = {sizeInBytes() - retentionBytes};
        return (segment, next) -> {
            if (excess[0] - segment.sizeInBytes() >= 0) {
                excess[0] -= segment.sizeInBytes();
                return true;
            }
            return false;
        };
    }

    private BiPredicate<LogSegment, LogSegment> logStartBreached() {
        return (segment, next) -> next != null && next.baseOffset() <= logStartOffset;
    }

    /** Deletes the oldest segments while {@code predicate(segment, nextSegment)} holds. */
    private int deleteSegments(BiPredicate<LogSegment, LogSegment> predicate, long nowMs) throws IOException {
        List<LogSegment> deletable = new ArrayList<>();
        try {
            for (LogSegment segment : segments.values()) {
                Map.Entry<Long, LogSegment> nextEntry = segments.higherEntry(segment.baseOffset());
                LogSegment next = nextEntry == null ? null : nextEntry.getValue();
                long upperBound = next == null ? logEnd.offset() : next.baseOffset();
                if (upperBound > highWatermark || (next == null && segment.sizeInBytes() == 0) || !predicate.test(segment, next)) {
                    break;
                }
                deletable.add(segment);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (deletable.isEmpty()) {
            return 0;
        }
        if (deletable.size() == segments.size()) {
            roll(nowMs);
        }
        for (LogSegment segment : deletable) {
            segments.remove(segment.baseOffset());
            segment.renameToDeleted();
            pendingDeletions.add(new PendingDeletion(segment, nowMs + config.fileDeleteDelayMs()));
        }
        logStartOffset = Math.max(logStartOffset, segments.firstKey());
        lastStableOffset = computeLastStableOffset();
        epochCache.truncateFromStart(logStartOffset);
        producerState.deleteSnapshotsBelow(segments.firstKey());
        return deletable.size();
    }

    /** Physically deletes segments renamed to {@code .deleted} whose delay has passed. Returns how many. */
    public int deletePendingSegments(long nowMs) {
        lock.lock();
        try {
            int deleted = 0;
            Iterator<PendingDeletion> it = pendingDeletions.iterator();
            while (it.hasNext()) {
                PendingDeletion pending = it.next();
                if (pending.deleteAtMs() <= nowMs) {
                    pending.segment().deletePhysically();
                    it.remove();
                    deleted++;
                }
            }
            return deleted;
        } catch (IOException e) {
            throw ioFailure("deleting old segments of " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    /** Kafka's producer.id.expiration.ms: forgets idle producers without an open transaction. */
    public void removeExpiredProducers(long nowMs, long producerIdExpirationMs) {
        lock.lock();
        try {
            producerState.removeExpiredProducers(nowMs, producerIdExpirationMs);
        } finally {
            lock.unlock();
        }
    }

    /** OffsetForLeaderEpoch, with Kafka's {@code LeaderEpochFileCache.endOffsetFor} semantics; empty = undefined. */
    public Optional<EpochEndOffset> endOffsetForEpoch(int leaderEpoch) {
        return epochCache.endOffsetFor(leaderEpoch, logEnd.offset());
    }

    public int latestEpoch() {
        return epochCache.latestEpoch();
    }

    public Collection<ProducerStateEntry> activeProducers() {
        lock.lock();
        try {
            return producerState.activeProducers();
        } finally {
            lock.unlock();
        }
    }

    public long sizeInBytes() {
        long size = 0;
        for (LogSegment segment : segments.values()) {
            size += segment.sizeInBytes();
        }
        return size;
    }

    public int numberOfSegments() {
        return segments.size();
    }

    /** Base offsets of the live segments, ascending (tests and tools). */
    public List<Long> segmentBaseOffsets() {
        return List.copyOf(segments.keySet());
    }

    /** Fsyncs everything up to the log end offset and advances the recovery point (see {@link #flush(long)}). */
    public void flush() {
        flush(Long.MAX_VALUE);
    }

    /**
     * Makes every offset below {@code offset} durable (at least; the whole log as it stood when the
     * flush began): fsyncs the segments from the recovery point on, then advances the recovery point.
     * The fsync runs without the append lock, so appends and reads go on meanwhile; flushes of one log
     * run one at a time, and one that finds the recovery point already past {@code offset} returns at
     * once, so producers waiting on {@code flush.messages} share fsyncs. Throws KAFKA_STORAGE_ERROR
     * (and takes the log offline) when an fsync fails; returns quietly when the log was closed.
     */
    public void flush(long offset) {
        flushLock.lock();
        try {
            ensureReadable();
            LogEnd end = logEnd;
            long flushedFrom = recoveryPoint;
            if (closed || Math.min(offset, end.offset()) <= flushedFrom) {
                return;
            }
            fsyncAll(unflushedSegments(flushedFrom, end.segmentBaseOffset(), true));
            advanceRecoveryPoint(end.offset());
        } catch (IOException e) {
            throw ioFailure("flushing " + topicPartition, e);
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * Fsyncs the segments below {@code offset} — a roll's new active segment base, which is left alone —
     * from the recovery point on, and moves the recovery point to {@code offset} (Kafka's
     * {@code flushUptoOffsetExclusive}): the active segment, where appends go on meanwhile, is never
     * synced here. Serialised with {@link #flush(long)} on the flush lock; a no-op when the recovery point
     * is already there. Throws KAFKA_STORAGE_ERROR (and takes the log offline) when an fsync fails.
     */
    public void flushBelow(long offset) {
        flushLock.lock();
        try {
            ensureReadable();
            long flushedFrom = recoveryPoint;
            if (closed || offset <= flushedFrom) {
                return;
            }
            fsyncAll(unflushedSegments(flushedFrom, offset, false));
            advanceRecoveryPoint(offset);
        } catch (IOException e) {
            throw ioFailure("flushing " + topicPartition, e);
        } finally {
            flushLock.unlock();
        }
    }

    /** A roll's {@link #flushBelow}; a failure has already taken the log offline and been reported. */
    private void flushBelowInBackground(long offset) {
        try {
            flushBelow(offset);
        } catch (ApiException e) {
            // Offline: reported once by ioFailure.
        }
    }

    /** Fsyncs {@code toSync}, skipping segments closed under the caller (call with the flush lock held). */
    private void fsyncAll(Collection<LogSegment> toSync) throws IOException {
        for (LogSegment segment : toSync) {
            try {
                segment.flush();
            } catch (ClosedChannelException e) {
                // Closed under us: retention removed the segment, or the log is closing (close flushes) or being deleted.
                if (!closed && segments.get(segment.baseOffset()) == segment) {
                    throw e;
                }
            }
        }
    }

    private void advanceRecoveryPoint(long offset) {
        lock.lock();
        try {
            if (offset > recoveryPoint) {
                recoveryPoint = offset;
            }
            lastFlushMs = time.milliseconds();
        } finally {
            lock.unlock();
        }
    }

    /** Flushes when {@code flush.ms} has passed since the last flush and there is unflushed data. */
    public void maybeFlush(long nowMs) {
        if (nowMs - lastFlushMs >= config.flushMs() && logEnd.offset() > recoveryPoint) {
            flush();
        }
    }

    /**
     * The segments a flush must fsync: from the one holding {@code recoveredUpTo} up to the segment whose
     * base offset is {@code toKey} ({@code toInclusive}: with it). No segment holds {@code recoveredUpTo}
     * when retention removed it; then every segment up to {@code toKey}.
     */
    private Collection<LogSegment> unflushedSegments(long recoveredUpTo, long toKey, boolean toInclusive) {
        Long floor = segments.floorKey(recoveredUpTo);
        return segments.subMap(floor == null ? Long.MIN_VALUE : floor, true, toKey, toInclusive).values();
    }

    private void flushLocked() throws IOException {
        LogEnd end = logEnd;
        if (end.offset() > recoveryPoint) {
            for (LogSegment segment : unflushedSegments(recoveryPoint, end.segmentBaseOffset(), true)) {
                segment.flush();
            }
            recoveryPoint = end.offset();
        }
        lastFlushMs = time.milliseconds();
    }

    /** Flushes, writes a producer snapshot at the log end offset, trims indexes and closes files. */
    public void close() {
        lock.lock();
        try {
            if (closed || offline) {
                return;
            }
            flushLocked();
            producerState.setMapEndOffset(logEnd.offset());
            producerState.takeSnapshot();
            for (LogSegment segment : segments.values()) {
                segment.close();
            }
            closed = true;
        } catch (IOException e) {
            throw ioFailure("closing " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    /** The directory was renamed for deletion: stop accepting writes but keep files open for in-flight reads. */
    void markDeleted(Path renamedDir) {
        lock.lock();
        try {
            closed = true;
            dir = renamedDir;
        } finally {
            lock.unlock();
        }
    }

    /** Closes every file handle without flushing (the directory is about to be removed). */
    void closeHandlesForDeletion() {
        lock.lock();
        try {
            for (LogSegment segment : segments.values()) {
                segment.channel().close();
                segment.txnIndex().close();
            }
            for (PendingDeletion pending : pendingDeletions) {
                pending.segment().channel().close();
                pending.segment().txnIndex().close();
            }
        } catch (IOException e) {
            // Closing a channel of a file being deleted: nothing to recover and nothing lost.
        } finally {
            lock.unlock();
        }
    }

    boolean isOffline() {
        return offline;
    }

    private void ensureWritable() {
        ensureReadable();
        if (closed) {
            throw new ApiException(Errors.NOT_LEADER_OR_FOLLOWER, "the log of " + topicPartition + " is closed");
        }
    }

    private void ensureReadable() {
        if (offline) {
            throw new ApiException(Errors.KAFKA_STORAGE_ERROR, "the log dir of " + topicPartition + " is offline");
        }
    }

    private ApiException ioFailure(String context, IOException e) {
        boolean first = !offline;
        offline = true;
        if (first) {
            failureHandler.onLogDirFailure(logDir, context, e);
        }
        return new ApiException(Errors.KAFKA_STORAGE_ERROR, "I/O error while " + context + ": " + e.getMessage());
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", logStartOffset=" + logStartOffset + ", logEndOffset=" + logEnd.offset() + ")";
    }
}
