package io.fjord.storage;

import io.fjord.common.errors.ApiException;
import io.fjord.record.EndTxnMarker;
import io.fjord.record.RecordBatchView;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory and brings it to a consistent state, as Kafka's {@code LogLoader}:
 * <ol>
 *   <li>deletes leftovers ({@code .deleted}, {@code .tmp}, {@code .cleaned}, {@code .swap} files);</li>
 *   <li>opens every segment; after a clean shutdown indexes are trusted after a cheap sanity check
 *       (a missing or corrupt index is rebuilt from its segment);</li>
 *   <li>after an unclean shutdown every segment from the one holding the recovery point on is
 *       scanned batch by batch: the first torn or corrupt batch and everything after it
 *       (including later segments) is removed, and the indexes are rebuilt;</li>
 *   <li>loads the leader epoch checkpoint and trims it to the log;</li>
 *   <li>loads the newest valid producer snapshot and replays the batches after it; when
 *       transaction indexes must be rebuilt (the recovered segments after an unclean shutdown, or
 *       from the first segment whose {@code .txnindex} fails its sanity check), they are emptied
 *       and the replay starts from a snapshot at or below the first of them, appending an entry
 *       for every ABORT marker it meets from there on.</li>
 * </ol>
 * Runs on the thread that calls {@link LogManager#startup}, before the log is visible to anyone.
 */
final class LogLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);
    private static final int MARKER_DECOMPRESSION_LIMIT_BYTES = 64 * 1024;

    /** Everything a {@link PartitionLog} needs to start. */
    record LoadedLog(ConcurrentSkipListMap<Long, LogSegment> segments, long logEndOffset, long logStartOffset, long recoveryPoint,
                     LeaderEpochCache epochCache, ProducerStateManager producerState, LogLoadStats stats) {
    }

    private final Path dir;
    private final LogConfig config;
    private final long nowMs;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
    /** Transaction indexes of segments from this base offset on are rebuilt by the replay (MAX_VALUE: none). */
    private long rebuildTxnIndexFrom = Long.MAX_VALUE;
    private int segmentsRecovered;
    private int indexesRebuilt;
    private long bytesTruncated;

    private LogLoader(Path dir, LogConfig config, long nowMs) {
        this.dir = dir;
        this.config = config;
        this.nowMs = nowMs;
    }

    static LoadedLog load(Path dir, LogConfig config, long recoveryPointCheckpoint, long logStartOffsetCheckpoint,
                          boolean hadCleanShutdown, long nowMs) throws IOException {
        return new LogLoader(dir, config, nowMs).load(recoveryPointCheckpoint, logStartOffsetCheckpoint, hadCleanShutdown);
    }

    private LoadedLog load(long recoveryPointCheckpoint, long logStartOffsetCheckpoint, boolean hadCleanShutdown) throws IOException {
        Files.createDirectories(dir);
        deleteLeftovers();
        TreeSet<Long> baseOffsets = segmentBaseOffsets();
        long recoveryPoint = hadCleanShutdown ? Long.MAX_VALUE : Math.max(0, recoveryPointCheckpoint);
        Long firstToRecover = baseOffsets.floor(recoveryPoint);
        if (firstToRecover == null && !baseOffsets.isEmpty()) {
            firstToRecover = baseOffsets.first();
        }
        long nextOffset = -1;
        for (long baseOffset : baseOffsets) {
            if (!hadCleanShutdown && baseOffset >= firstToRecover) {
                rebuildTxnIndexFrom = baseOffset;
                nextOffset = recoverFrom(baseOffset, baseOffsets);
                break;
            }
            openTrusted(baseOffset);
        }
        if (segments.isEmpty()) {
            long start = Math.max(0, logStartOffsetCheckpoint);
            segments.put(start, LogSegment.open(dir, start, config, nowMs));
        }
        LogSegment active = segments.lastEntry().getValue();
        long logEndOffset = nextOffset >= 0 ? nextOffset : active.readNextOffset();
        active.makeActive(config.segmentIndexBytes());
        if (hadCleanShutdown) {
            sanityCheckTxnIndexes(logEndOffset);
        }
        resetTxnIndexesToRebuild();
        long logStartOffset = Math.min(Math.max(logStartOffsetCheckpoint, segments.firstKey()), logEndOffset);
        LeaderEpochCache epochCache = loadEpochCache(logStartOffset, logEndOffset);
        ProducerStateManager producerState = new ProducerStateManager(dir);
        long replayed = replayProducerState(producerState, logStartOffset, logEndOffset);
        LogLoadStats stats = new LogLoadStats(hadCleanShutdown, segmentsRecovered, indexesRebuilt, bytesTruncated, replayed);
        if (!hadCleanShutdown) {
            LOG.info("[partition {}] recovered {} segments, truncated {} bytes, log end offset {}", dir.getFileName(), segmentsRecovered, bytesTruncated, logEndOffset);
        }
        return new LoadedLog(segments, logEndOffset, logStartOffset, logEndOffset, epochCache, producerState, stats);
    }

    /** Opens a segment whose contents are trusted; rebuilds a missing or corrupt index. */
    private void openTrusted(long baseOffset) throws IOException {
        String prefix = LogSegment.filenamePrefix(baseOffset);
        boolean indexesPresent = Files.exists(dir.resolve(prefix + LogSegment.INDEX_SUFFIX))
            && Files.exists(dir.resolve(prefix + LogSegment.TIME_INDEX_SUFFIX));
        LogSegment segment = LogSegment.open(dir, baseOffset, config, nowMs);
        segments.put(baseOffset, segment);
        boolean rebuild = !indexesPresent;
        if (indexesPresent) {
            try {
                segment.sanityCheckIndexes();
            } catch (AbstractIndex.CorruptIndexException e) {
                LOG.warn("[partition {}] rebuilding index of segment {}: {}", dir.getFileName(), baseOffset, e.getMessage());
                rebuild = true;
            }
        }
        if (rebuild) {
            indexesRebuilt++;
            LogSegment.RecoveryResult result = segment.rebuildIndexes(config.segmentIndexBytes());
            bytesTruncated += result.truncatedBytes();
            segment.onBecomeInactiveSegment();
        }
    }

    /** Marks the first segment whose transaction index is corrupt (clean start: indexes are otherwise trusted). */
    private void sanityCheckTxnIndexes(long logEndOffset) throws IOException {
        for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
            Long next = segments.higherKey(entry.getKey());
            try {
                entry.getValue().txnIndex().sanityCheck(next == null ? logEndOffset : next);
            } catch (AbstractIndex.CorruptIndexException e) {
                LOG.warn("[partition {}] rebuilding transaction indexes from segment {}: {}", dir.getFileName(), entry.getKey(), e.getMessage());
                rebuildTxnIndexFrom = entry.getKey();
                return;
            }
        }
    }

    /** Empties the transaction indexes that the producer-state replay will rebuild. */
    private void resetTxnIndexesToRebuild() throws IOException {
        for (LogSegment segment : segments.tailMap(rebuildTxnIndexFrom, true).values()) {
            segment.txnIndex().reset();
        }
    }

    /** Scans segments from {@code firstBaseOffset} on; returns the log end offset. */
    private long recoverFrom(long firstBaseOffset, TreeSet<Long> baseOffsets) throws IOException {
        long nextOffset = firstBaseOffset;
        List<Long> toRecover = new ArrayList<>(baseOffsets.tailSet(firstBaseOffset));
        for (int i = 0; i < toRecover.size(); i++) {
            long baseOffset = toRecover.get(i);
            LogSegment segment = LogSegment.open(dir, baseOffset, config, nowMs);
            segments.put(baseOffset, segment);
            LogSegment.RecoveryResult result = segment.recover(config.segmentIndexBytes());
            segmentsRecovered++;
            bytesTruncated += result.truncatedBytes();
            segment.flush();
            nextOffset = result.nextOffset();
            if (result.truncatedBytes() > 0) {
                // Everything after a torn or corrupt batch is unreachable: drop the later segments.
                for (long later : toRecover.subList(i + 1, toRecover.size())) {
                    bytesTruncated += deleteSegmentFiles(later);
                }
                break;
            }
            if (i + 1 < toRecover.size()) {
                segment.onBecomeInactiveSegment();
            }
        }
        return nextOffset;
    }

    private long deleteSegmentFiles(long baseOffset) throws IOException {
        String prefix = LogSegment.filenamePrefix(baseOffset);
        Path log = dir.resolve(prefix + LogSegment.LOG_SUFFIX);
        long size = Files.size(log);
        Files.deleteIfExists(log);
        Files.deleteIfExists(dir.resolve(prefix + LogSegment.INDEX_SUFFIX));
        Files.deleteIfExists(dir.resolve(prefix + LogSegment.TIME_INDEX_SUFFIX));
        Files.deleteIfExists(dir.resolve(prefix + LogSegment.TXN_INDEX_SUFFIX));
        return size;
    }

    private LeaderEpochCache loadEpochCache(long logStartOffset, long logEndOffset) throws IOException {
        LeaderEpochCache cache;
        try {
            cache = LeaderEpochCache.load(dir);
        } catch (IOException e) {
            // Kafka rebuilds a lost epoch cache from batches; an unreadable file is reset the same way.
            LOG.warn("[partition {}] unreadable {}, rebuilding it: {}", dir.getFileName(), LeaderEpochCache.FILE_NAME, e.getMessage());
            Files.deleteIfExists(dir.resolve(LeaderEpochCache.FILE_NAME));
            cache = LeaderEpochCache.load(dir);
            rebuildEpochCache(cache);
        }
        cache.truncateFromEnd(logEndOffset);
        cache.truncateFromStart(logStartOffset);
        return cache;
    }

    private void rebuildEpochCache(LeaderEpochCache cache) throws IOException {
        for (LogSegment segment : segments.values()) {
            int limit = segment.sizeInBytes();
            int position = 0;
            while (position < limit) {
                RecordBatchView header = segment.readHeader(position, limit);
                if (header == null) {
                    break;
                }
                if (header.partitionLeaderEpoch() > cache.latestEpoch()) {
                    cache.assign(header.partitionLeaderEpoch(), header.baseOffset());
                }
                position += header.sizeInBytes();
            }
        }
    }

    /**
     * Loads the latest snapshot (at or below the first transaction index to rebuild) and replays
     * batch headers after it; returns the number of batches replayed.
     */
    private long replayProducerState(ProducerStateManager producerState, long logStartOffset, long logEndOffset) throws IOException {
        long from = producerState.loadLatestSnapshot(logStartOffset, logEndOffset, rebuildTxnIndexFrom);
        long replayed = replay(segments, producerState, from, logEndOffset, rebuildTxnIndexFrom);
        producerState.setMapEndOffset(logEndOffset);
        return replayed;
    }

    /**
     * Applies every batch in [from, to) to the producer state; an ABORT marker at or after
     * {@code indexAbortsFrom} also gets its entry in its segment's transaction index.
     */
    static long replay(ConcurrentSkipListMap<Long, LogSegment> segments, ProducerStateManager producerState, long from, long to,
                       long indexAbortsFrom) throws IOException {
        Long startKey = segments.floorKey(from);
        long replayed = 0;
        for (Map.Entry<Long, LogSegment> entry : segments.tailMap(startKey == null ? segments.firstKey() : startKey, true).entrySet()) {
            LogSegment segment = entry.getValue();
            int limit = segment.sizeInBytes();
            LogSegment.BatchLocation start = segment.translateOffset(from, limit);
            int position = start == null ? limit : start.position();
            while (position < limit) {
                RecordBatchView header = segment.readHeader(position, limit);
                if (header == null || header.baseOffset() >= to) {
                    return replayed;
                }
                if (header.hasProducerId() && header.baseOffset() >= from) {
                    EndTxnMarker marker = null;
                    if (header.isControlBatch()) {
                        marker = readMarker(segment, position, header.sizeInBytes());
                    }
                    Optional<CompletedTxn> completed = producerState.update(header, marker);
                    if (completed.isPresent() && completed.get().aborted() && header.baseOffset() >= indexAbortsFrom) {
                        segment.appendAbortedTxn(completed.get().asAbortedTxn());
                    }
                    replayed++;
                }
                position += header.sizeInBytes();
            }
        }
        return replayed;
    }

    private static EndTxnMarker readMarker(LogSegment segment, int position, int size) throws IOException {
        RecordBatchView batch = segment.readBatch(position, size);
        try {
            return EndTxnMarker.fromRecord(batch.records(MARKER_DECOMPRESSION_LIMIT_BYTES).next());
        } catch (ApiException e) {
            // Not a transaction marker (another control type): no coordinator epoch to learn.
            return null;
        }
    }

    private void deleteLeftovers() throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp") || name.endsWith(".cleaned") || name.endsWith(".swap")) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private TreeSet<Long> segmentBaseOffsets() throws IOException {
        TreeSet<Long> offsets = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + LogSegment.LOG_SUFFIX)) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                String digits = name.substring(0, name.length() - LogSegment.LOG_SUFFIX.length());
                if (digits.length() == 20 && digits.chars().allMatch(Character::isDigit)) {
                    offsets.add(Long.parseLong(digits));
                }
            }
        }
        // Index files whose log file is gone are orphans.
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.{index,timeindex,txnindex}")) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                String digits = name.substring(0, name.indexOf('.'));
                if (digits.length() == 20 && digits.chars().allMatch(Character::isDigit) && !offsets.contains(Long.parseLong(digits))) {
                    Files.deleteIfExists(file);
                }
            }
        }
        return offsets;
    }
}
