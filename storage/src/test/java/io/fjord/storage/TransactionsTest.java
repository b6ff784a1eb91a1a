package io.fjord.storage;

import static io.fjord.storage.LogTestSupport.START_MS;
import static io.fjord.storage.LogTestSupport.TOPIC_ID;
import static io.fjord.storage.LogTestSupport.TP;
import static io.fjord.storage.LogTestSupport.batch;
import static io.fjord.storage.LogTestSupport.idempotent;
import static io.fjord.storage.LogTestSupport.marker;
import static io.fjord.storage.LogTestSupport.records;
import static io.fjord.storage.LogTestSupport.segmentFile;
import static io.fjord.storage.LogTestSupport.smallSegments;
import static io.fjord.storage.LogTestSupport.transactional;
import static io.fjord.storage.PartitionLogTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.errors.Errors;
import io.fjord.record.ControlRecordType;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import io.fjord.record.Record;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions on one partition: the last stable offset, the aborted-transaction index, validation and recovery. */
class TransactionsTest {

    private static final short EPOCH = 0;
    private static final ControlRecordType COMMIT = ControlRecordType.COMMIT;
    private static final ControlRecordType ABORT = ControlRecordType.ABORT;

    @TempDir
    Path logDir;

    private final FakeTime time = new FakeTime(START_MS);
    private final LogConfig config = smallSegments(2048);
    private LogManager manager;
    private final Map<Long, Integer> nextSequence = new HashMap<>();

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.shutdown();
        }
    }

    private PartitionLog open() {
        manager = LogTestSupport.manager(logDir, time, config);
        return manager.getOrCreateLog(TP, TOPIC_ID, config);
    }

    /** Simulates {@code kill -9}: the old manager is dropped without closing anything. */
    private PartitionLog crashAndReopen() {
        manager = null;
        return open();
    }

    private PartitionLog cleanRestart() {
        manager.shutdown();
        return open();
    }

    /** Appends as a producer would and advances the high watermark as the broker does after each append. */
    private LogAppendResult produce(PartitionLog log, MemoryRecords records) {
        LogAppendResult result = log.appendAsLeader(records, 0, START_MS);
        log.updateHighWatermark(log.logEndOffset());
        return result;
    }

    /** A transactional batch of {@code producerId} with the next sequence. */
    private LogAppendResult produceTxn(PartitionLog log, long producerId, String... values) {
        int sequence = nextSequence.getOrDefault(producerId, 0);
        nextSequence.put(producerId, sequence + values.length);
        return produce(log, transactional(producerId, EPOCH, sequence, START_MS, values));
    }

    private LogAppendResult writeMarker(PartitionLog log, long producerId, ControlRecordType type) {
        LogAppendResult result = log.appendAsLeader(marker(producerId, EPOCH, type, 0), 0, START_MS, AppendOrigin.COORDINATOR);
        log.updateHighWatermark(log.logEndOffset());
        return result;
    }

    private static Map<Long, Long> openTransactions(PartitionLog log) {
        Map<Long, Long> open = new HashMap<>();
        for (ProducerStateEntry entry : log.activeProducers()) {
            if (entry.currentTxnStartOffset() >= 0) {
                open.put(entry.producerId(), entry.currentTxnStartOffset());
            }
        }
        return open;
    }

    private static List<Long> offsets(LogReadResult result) {
        return records(result.records()).stream().map(Record::offset).toList();
    }

    @Test
    void shouldMoveTheLastStableOffsetWithBeginCommitAndAbort() {
        PartitionLog log = open();
        produce(log, batch(START_MS, "a"));
        assertThat(log.lastStableOffset()).isEqualTo(1);
        assertThat(produceTxn(log, 1L, "t1a", "t1b").firstOffset()).isEqualTo(1);
        produce(log, batch(START_MS, "b"));
        assertThat(produceTxn(log, 2L, "t2").firstOffset()).isEqualTo(4);
        assertThat(log.lastStableOffset()).isEqualTo(1);
        assertThat(log.highWatermark()).isEqualTo(5);
        assertThat(openTransactions(log)).containsOnly(Map.entry(1L, 1L), Map.entry(2L, 4L));

        // Until the high watermark passes the COMMIT marker the transaction is still unstable (Kafka's unreplicated txns).
        log.appendAsLeader(marker(1L, EPOCH, COMMIT, 0), 0, START_MS, AppendOrigin.COORDINATOR);
        assertThat(log.lastStableOffset()).isEqualTo(1);
        log.updateHighWatermark(6);
        assertThat(log.lastStableOffset()).isEqualTo(4);

        writeMarker(log, 2L, ABORT);
        assertThat(log.lastStableOffset()).isEqualTo(7).isEqualTo(log.highWatermark());
        assertThat(openTransactions(log)).isEmpty();
        assertThat(log.collectAbortedTransactions(0, 7)).containsExactly(new AbortedTransaction(2L, 4L));
    }

    @Test
    void shouldNeverReadPastTheLastStableOffset() {
        PartitionLog log = open();
        produce(log, batch(START_MS, "a", "b"));
        produceTxn(log, 1L, "t");
        produce(log, batch(START_MS, "c"));
        assertThat(log.lastStableOffset()).isEqualTo(2);

        LogReadResult committed = log.read(0, LogTestSupport.MAX, true, FetchIsolation.TXN_COMMITTED);
        assertThat(offsets(committed)).containsExactly(0L, 1L);
        assertThat(committed.lastStableOffset()).isEqualTo(2);
        assertThat(committed.highWatermark()).isEqualTo(4);
        assertThat(committed.abortedTransactions()).isEmpty();
        assertThat(offsets(log.read(0, LogTestSupport.MAX, true, FetchIsolation.HIGH_WATERMARK))).containsExactly(0L, 1L, 2L, 3L);
        LogReadResult atLso = log.read(2, LogTestSupport.MAX, true, FetchIsolation.TXN_COMMITTED);
        assertThat(atLso.records().sizeInBytes()).isZero();
        assertThat(atLso.abortedTransactions()).isEmpty();

        writeMarker(log, 1L, COMMIT);
        assertThat(offsets(log.read(0, LogTestSupport.MAX, true, FetchIsolation.TXN_COMMITTED))).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    /** Three aborted transactions (one interleaved with a committed one) spread over four segments. */
    private List<AbortedTxn> abortedAcrossRolls(PartitionLog log) {
        produceTxn(log, 1L, "p1a", "p1b");     // 0-1
        produceTxn(log, 2L, "p2");             // 2
        log.roll();                            // segment 3
        produce(log, batch(START_MS, "x"));    // 3
        writeMarker(log, 1L, ABORT);           // 4: P2 still open at 2
        produceTxn(log, 3L, "p3");             // 5
        log.roll();                            // segment 6
        writeMarker(log, 2L, COMMIT);          // 6
        writeMarker(log, 3L, ABORT);           // 7: nothing else open
        produceTxn(log, 1L, "p1c");            // 8
        log.roll();                            // segment 9
        writeMarker(log, 1L, ABORT);           // 9
        produce(log, batch(START_MS, "y"));    // 10
        return List.of(new AbortedTxn(1L, 0, 4, 2), new AbortedTxn(3L, 5, 7, 8), new AbortedTxn(1L, 8, 9, 10));
    }

    private static List<AbortedTransaction> expectedAborted(List<AbortedTxn> all, long fetchOffset, long upperBoundOffset) {
        return all.stream().filter(t -> t.lastOffset() >= fetchOffset && t.firstOffset() < upperBoundOffset)
            .map(AbortedTxn::asAbortedTransaction).toList();
    }

    @Test
    void shouldCollectAbortedTransactionsForEveryFetchRangeAcrossSegmentRolls() {
        PartitionLog log = open();
        List<AbortedTxn> all = abortedAcrossRolls(log);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 3L, 6L, 9L);
        long end = log.logEndOffset();
        for (long fetchOffset = 0; fetchOffset <= end; fetchOffset++) {
            for (long upperBound = fetchOffset; upperBound <= end + 1; upperBound++) {
                assertThat(log.collectAbortedTransactions(fetchOffset, upperBound))
                    .as("aborted transactions in [%d, %d)", fetchOffset, upperBound)
                    .isEqualTo(expectedAborted(all, fetchOffset, upperBound));
            }
        }
        assertThat(Files.exists(segmentFile(logDir, 0, LogSegment.TXN_INDEX_SUFFIX))).as("created lazily").isFalse();
        assertThat(Files.exists(segmentFile(logDir, 3, LogSegment.TXN_INDEX_SUFFIX))).isTrue();
    }

    @Test
    void shouldReturnTheAbortedTransactionsOverlappingWhatAReadCommittedFetchReturns() {
        PartitionLog log = open();
        abortedAcrossRolls(log);
        // One batch at a time: the aborted list covers [fetch offset, end of the returned batch).
        LogReadResult first = log.read(0, 1, true, FetchIsolation.TXN_COMMITTED);
        assertThat(offsets(first)).containsExactly(0L, 1L);
        assertThat(first.abortedTransactions()).containsExactly(new AbortedTransaction(1L, 0));
        LogReadResult third = log.read(3, 1, true, FetchIsolation.TXN_COMMITTED);
        assertThat(offsets(third)).containsExactly(3L);
        assertThat(third.abortedTransactions()).containsExactly(new AbortedTransaction(1L, 0));
        LogReadResult later = log.read(6, LogTestSupport.MAX, true, FetchIsolation.TXN_COMMITTED);
        assertThat(later.abortedTransactions()).containsExactly(new AbortedTransaction(3L, 5), new AbortedTransaction(1L, 8));
        assertThat(log.read(0, LogTestSupport.MAX, true, FetchIsolation.HIGH_WATERMARK).abortedTransactions()).isEmpty();
    }

    @Test
    void shouldWriteTheTxnIndexInKafkasFormat() throws Exception {
        PartitionLog log = open();
        produce(log, batch(START_MS, "a"));   // 0
        produceTxn(log, 7L, "t1", "t2");      // 1-2
        produceTxn(log, 8L, "u");             // 3
        writeMarker(log, 7L, ABORT);          // 4: P8 open at 3
        writeMarker(log, 8L, ABORT);          // 5: nothing open
        byte[] bytes = Files.readAllBytes(segmentFile(logDir, 0, LogSegment.TXN_INDEX_SUFFIX));
        assertThat(bytes).hasSize(2 * 34);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(buffer.getShort()).as("version").isZero();
        assertThat(buffer.getLong()).as("producer id").isEqualTo(7L);
        assertThat(buffer.getLong()).as("first offset").isEqualTo(1L);
        assertThat(buffer.getLong()).as("last offset").isEqualTo(4L);
        assertThat(buffer.getLong()).as("last stable offset").isEqualTo(3L);
        assertThat(buffer.getShort()).isZero();
        assertThat(buffer.getLong()).isEqualTo(8L);
        assertThat(buffer.getLong()).isEqualTo(3L);
        assertThat(buffer.getLong()).isEqualTo(5L);
        assertThat(buffer.getLong()).isEqualTo(6L);
    }

    @Test
    void shouldRebuildTransactionStateAfterATornMarkerAndTrailingGarbage() throws Exception {
        PartitionLog log = open();
        produce(log, batch(START_MS, "a"));   // 0
        produceTxn(log, 1L, "p1a", "p1b");    // 1-2
        produceTxn(log, 2L, "p2");            // 3
        writeMarker(log, 1L, ABORT);          // 4
        long sizeBeforeLastMarker = log.sizeInBytes();
        writeMarker(log, 2L, ABORT);          // 5
        long markerBytes = log.sizeInBytes() - sizeBeforeLastMarker;
        assertThat(log.collectAbortedTransactions(0, 6)).hasSize(2);

        Path segment = segmentFile(logDir, 0, LogSegment.LOG_SUFFIX);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(sizeBeforeLastMarker + markerBytes / 2);
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}), channel.size());
        }
        PartitionLog reopened = crashAndReopen();
        assertThat(reopened.loadStats().hadCleanShutdown()).isFalse();
        assertThat(reopened.loadStats().bytesTruncated()).isPositive();
        assertThat(reopened.logEndOffset()).isEqualTo(5);
        assertThat(reopened.lastStableOffset()).as("P2's transaction is open again").isEqualTo(3);
        assertThat(openTransactions(reopened)).containsOnly(Map.entry(2L, 3L));
        assertThat(reopened.collectAbortedTransactions(0, 5)).containsExactly(new AbortedTransaction(1L, 1));
        assertThat(Files.size(segmentFile(logDir, 0, LogSegment.TXN_INDEX_SUFFIX))).isEqualTo(34);

        writeMarker(reopened, 2L, ABORT);
        assertThat(reopened.lastStableOffset()).isEqualTo(6);
        assertThat(reopened.collectAbortedTransactions(0, 6)).containsExactly(new AbortedTransaction(1L, 1), new AbortedTransaction(2L, 3));
    }

    private Map<Long, byte[]> txnIndexFiles(PartitionLog log) throws Exception {
        Map<Long, byte[]> files = new HashMap<>();
        for (long baseOffset : log.segmentBaseOffsets()) {
            Path file = segmentFile(logDir, baseOffset, LogSegment.TXN_INDEX_SUFFIX);
            if (Files.exists(file)) {
                files.put(baseOffset, Files.readAllBytes(file));
            }
        }
        return files;
    }

    @Test
    void shouldRebuildIdenticalTxnIndexesAfterACrashFromTheRecoveryPoint() throws Exception {
        PartitionLog log = open();
        abortedAcrossRolls(log);
        produceTxn(log, 4L, "open");           // 11: stays open
        // Offsets up to here are flushed and checkpointed: recovery starts at the segment holding 12.
        log.flush();
        manager.checkpoint();
        produceTxn(log, 5L, "p5");             // 12
        writeMarker(log, 5L, ABORT);           // 13: P4 still open at 11
        Map<Long, byte[]> before = txnIndexFiles(log);
        List<AbortedTransaction> abortedBefore = log.collectAbortedTransactions(0, log.logEndOffset());

        PartitionLog reopened = crashAndReopen();
        assertThat(reopened.loadStats().segmentsRecovered()).isEqualTo(1);
        assertThat(reopened.lastStableOffset()).isEqualTo(11);
        assertThat(openTransactions(reopened)).containsOnly(Map.entry(4L, 11L));
        assertThat(reopened.collectAbortedTransactions(0, reopened.logEndOffset())).isEqualTo(abortedBefore).hasSize(4);
        Map<Long, byte[]> after = txnIndexFiles(reopened);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((baseOffset, bytes) -> assertThat(after.get(baseOffset)).as("txn index of segment %d", baseOffset).isEqualTo(bytes));
    }

    @Test
    void shouldLoadTransactionStateWithoutAScanAfterACleanShutdown() {
        PartitionLog log = open();
        abortedAcrossRolls(log);
        produceTxn(log, 4L, "open");           // 11
        List<AbortedTransaction> abortedBefore = log.collectAbortedTransactions(0, log.logEndOffset());

        PartitionLog reopened = cleanRestart();
        assertThat(reopened.loadStats().segmentsRecovered()).isZero();
        assertThat(reopened.loadStats().batchesReplayed()).isZero();
        assertThat(reopened.lastStableOffset()).isEqualTo(11);
        assertThat(openTransactions(reopened)).containsOnly(Map.entry(4L, 11L));
        assertThat(reopened.collectAbortedTransactions(0, reopened.logEndOffset())).isEqualTo(abortedBefore);
        writeMarker(reopened, 4L, ABORT);
        assertThat(reopened.lastStableOffset()).isEqualTo(13);
        assertThat(reopened.collectAbortedTransactions(11, 13)).containsExactly(new AbortedTransaction(4L, 11));
    }

    @Test
    void shouldRebuildACorruptTxnIndexOnACleanStart() throws Exception {
        PartitionLog log = open();
        abortedAcrossRolls(log);
        Map<Long, byte[]> before = txnIndexFiles(log);
        manager.shutdown();
        Path corrupt = segmentFile(logDir, 6, LogSegment.TXN_INDEX_SUFFIX);
        Files.write(corrupt, new byte[] {0, 1, 2, 3, 4}, StandardOpenOption.APPEND);

        PartitionLog reopened = open();
        assertThat(reopened.loadStats().hadCleanShutdown()).isTrue();
        Map<Long, byte[]> after = txnIndexFiles(reopened);
        before.forEach((baseOffset, bytes) -> assertThat(after.get(baseOffset)).as("txn index of segment %d", baseOffset).isEqualTo(bytes));
        assertThat(reopened.collectAbortedTransactions(0, reopened.logEndOffset())).hasSize(3);
    }

    @Test
    void shouldRejectStaleEpochsAndClientMarkersWithKafkasErrors() {
        PartitionLog log = open();
        produce(log, transactional(1L, (short) 1, 0, START_MS, "t"));
        assertError(() -> log.appendAsLeader(transactional(1L, (short) 0, 1, START_MS, "zombie"), 0, START_MS), Errors.INVALID_PRODUCER_EPOCH);
        assertError(() -> log.appendAsLeader(marker(1L, (short) 0, ABORT, 0), 0, START_MS, AppendOrigin.COORDINATOR),
            Errors.INVALID_PRODUCER_EPOCH);
        assertError(() -> log.appendAsLeader(marker(1L, (short) 1, ABORT, 0), 0, START_MS, AppendOrigin.CLIENT), Errors.INVALID_RECORD);
        assertError(() -> log.appendAsLeader(idempotent(1L, (short) 1, 1, START_MS, "not-txn"), 0, START_MS), Errors.INVALID_TXN_STATE);
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(log.lastStableOffset()).isZero();

        log.appendAsLeader(marker(1L, (short) 1, COMMIT, 5), 0, START_MS, AppendOrigin.COORDINATOR);
        assertError(() -> log.appendAsLeader(marker(1L, (short) 1, ABORT, 4), 0, START_MS, AppendOrigin.COORDINATOR),
            Errors.TRANSACTION_COORDINATOR_FENCED);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.collectAbortedTransactions(0, 2)).isEmpty();
    }

    @Test
    void shouldAppendAMarkerWithNoOpenTransactionWithoutIndexingIt() {
        PartitionLog log = open();
        produce(log, batch(START_MS, "a"));
        assertThat(writeMarker(log, 9L, ABORT).firstOffset()).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.collectAbortedTransactions(0, 2)).isEmpty();
        assertThat(Files.exists(segmentFile(logDir, 0, LogSegment.TXN_INDEX_SUFFIX))).isFalse();
        assertThat(log.activeProducers()).singleElement().satisfies(p -> assertThat(p.currentTxnStartOffset()).isEqualTo(-1L));
    }

    @Test
    void shouldDeduplicateRetriedTransactionalBatches() {
        PartitionLog log = open();
        produce(log, batch(START_MS, "a"));
        LogAppendResult original = produce(log, transactional(1L, EPOCH, 0, START_MS, "t1", "t2"));
        LogAppendResult retry = produce(log, transactional(1L, EPOCH, 0, START_MS, "t1", "t2"));
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset()).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(openTransactions(log)).containsOnly(Map.entry(1L, 1L));
    }

    @Test
    void shouldAcceptCoordinatorTransactionalBatchesWithoutSequences() {
        PartitionLog log = open();
        MemoryRecords offsetCommit = MemoryRecordsBuilder.builder().producer(5L, EPOCH, -1).transactional(true)
            .append(START_MS, "group", "offsets").build();
        assertError(() -> log.appendAsLeader(offsetCommit, 0, START_MS, AppendOrigin.CLIENT), Errors.INVALID_RECORD);
        log.appendAsLeader(offsetCommit, 0, START_MS, AppendOrigin.COORDINATOR);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.lastStableOffset()).isZero();
        writeMarker(log, 5L, COMMIT);
        assertThat(log.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void shouldBoundListOffsetsByTheLastStableOffsetForReadCommitted() {
        PartitionLog log = open();
        produce(log, batch(START_MS, "a"));                                   // 0
        produce(log, transactional(1L, EPOCH, 0, START_MS + 10, "t"));        // 1
        produce(log, batch(START_MS + 20, "b"));                              // 2
        assertThat(log.fetchOffsetByTimestamp(PartitionLog.LATEST_TIMESTAMP, FetchIsolation.TXN_COMMITTED).orElseThrow().offset()).isEqualTo(1);
        assertThat(log.fetchOffsetByTimestamp(PartitionLog.LATEST_TIMESTAMP, FetchIsolation.HIGH_WATERMARK).orElseThrow().offset()).isEqualTo(3);
        assertThat(log.fetchOffsetByTimestamp(START_MS + 10, FetchIsolation.TXN_COMMITTED)).isEmpty();
        assertThat(log.fetchOffsetByTimestamp(START_MS + 10, FetchIsolation.HIGH_WATERMARK).orElseThrow().offset()).isEqualTo(1);
        assertThat(log.fetchOffsetByTimestamp(START_MS, FetchIsolation.TXN_COMMITTED).orElseThrow().offset()).isZero();
        assertThat(log.fetchOffsetByTimestamp(PartitionLog.EARLIEST_TIMESTAMP, FetchIsolation.TXN_COMMITTED).orElseThrow().offset()).isZero();
    }

    @Test
    void shouldLetTheLogStartOffsetPassAnOpenTransaction() {
        PartitionLog log = open();
        produce(log, batch(START_MS, "a"));     // 0
        produceTxn(log, 1L, "t");               // 1
        produce(log, batch(START_MS, "b", "c")); // 2-3
        assertThat(log.deleteRecordsBefore(3)).isEqualTo(3);
        assertThat(log.lastStableOffset()).isEqualTo(3);
        writeMarker(log, 1L, ABORT);            // 4
        assertThat(log.lastStableOffset()).isEqualTo(5);
        assertThat(log.collectAbortedTransactions(3, 5)).containsExactly(new AbortedTransaction(1L, 1));
    }

    @Test
    void shouldDeleteTheTxnIndexWithItsSegment() throws Exception {
        PartitionLog log = open();
        produceTxn(log, 1L, "t");               // 0
        writeMarker(log, 1L, ABORT);            // 1
        log.roll();
        produce(log, batch(START_MS, "a"));     // 2
        Path txnIndex = segmentFile(logDir, 0, LogSegment.TXN_INDEX_SUFFIX);
        assertThat(txnIndex).exists();
        log.deleteRecordsBefore(2);
        assertThat(log.segmentBaseOffsets()).containsExactly(2L);
        assertThat(txnIndex).doesNotExist();
        Path deleted = txnIndex.resolveSibling(txnIndex.getFileName() + LogSegment.DELETED_SUFFIX);
        assertThat(deleted).exists();
        time.sleep(config.fileDeleteDelayMs());
        log.deletePendingSegments(time.milliseconds());
        assertThat(deleted).doesNotExist();
        assertThat(log.collectAbortedTransactions(2, 3)).isEmpty();
    }

    @Test
    void shouldReportEveryTransactionOfTheIndexInMarkerOrder() throws Exception {
        PartitionLog log = open();
        List<AbortedTxn> all = abortedAcrossRolls(log);
        List<AbortedTxn> indexed = new ArrayList<>();
        for (long baseOffset : log.segmentBaseOffsets()) {
            Path file = segmentFile(logDir, baseOffset, LogSegment.TXN_INDEX_SUFFIX);
            TransactionIndex index = new TransactionIndex(file, baseOffset);
            indexed.addAll(index.allAbortedTxns());
            index.close();
        }
        assertThat(indexed).isEqualTo(all);
    }
}
