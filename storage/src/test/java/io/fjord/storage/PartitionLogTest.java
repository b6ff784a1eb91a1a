package io.fjord.storage;

import static io.fjord.storage.LogTestSupport.START_MS;
import static io.fjord.storage.LogTestSupport.TOPIC_ID;
import static io.fjord.storage.LogTestSupport.TP;
import static io.fjord.storage.LogTestSupport.batch;
import static io.fjord.storage.LogTestSupport.batches;
import static io.fjord.storage.LogTestSupport.readAllValues;
import static io.fjord.storage.LogTestSupport.records;
import static io.fjord.storage.LogTestSupport.smallSegments;
import static io.fjord.storage.LogTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.record.CompressionType;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import io.fjord.record.Record;
import io.fjord.record.RecordBatchView;
import io.fjord.record.TimestampType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {

    @TempDir
    Path logDir;

    private final FakeTime time = new FakeTime(START_MS);
    private LogManager manager;

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.shutdown();
        }
    }

    private PartitionLog open(LogConfig config) {
        manager = LogTestSupport.manager(logDir, time, config);
        return manager.getOrCreateLog(TP, TOPIC_ID, config);
    }

    @Test
    void shouldAppendAndReadBackAcrossSegmentRolls() {
        PartitionLog log = open(smallSegments(1024));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String a = "value-" + i + "-a";
            String b = "value-" + i + "-b";
            LogAppendResult result = log.appendAsLeader(batch(START_MS, a, b), 0, START_MS);
            assertThat(result.firstOffset()).isEqualTo(2L * i);
            assertThat(result.lastOffset()).isEqualTo(2L * i + 1);
            assertThat(result.duplicate()).isFalse();
            expected.add(a);
            expected.add(b);
        }
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.logEndOffset()).isEqualTo(120);
        assertThat(log.numberOfSegments()).isGreaterThan(3);
        assertThat(readAllValues(log, 0, 1)).isEqualTo(expected);
        assertThat(readAllValues(log, 0, 10_000)).isEqualTo(expected);
        for (int offset = 0; offset < 120; offset++) {
            List<Record> records = records(log.read(offset, 1, true, 120).records());
            assertThat(records).extracting(Record::offset).as("fetch at %d returns its batch", offset).contains((long) offset);
        }
    }

    @Test
    void shouldReturnWholeBatchesWithinMaxBytesAndAtLeastOneWhenAsked() {
        PartitionLog log = open(smallSegments(1 << 20));
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(START_MS, "v" + i), 0, START_MS);
        }
        int batchSize = batches(log.read(0, 1, true, 5).records()).get(0).sizeInBytes();
        assertThat(log.read(0, 1, true, 5).records().sizeInBytes()).isEqualTo(batchSize);
        assertThat(log.read(0, 1, false, 5).records().sizeInBytes()).isZero();
        assertThat(log.read(0, 0, false, 5).records().sizeInBytes()).isZero();
        assertThat(log.read(0, 0, false, 5).logEndOffset()).isEqualTo(5);
        assertThat(log.read(0, batchSize * 2 + 5, false, 5).records().sizeInBytes()).isEqualTo(batchSize * 2);
        assertThat(log.read(1, 1 << 20, false, 3).records().sizeInBytes()).isEqualTo(batchSize * 2);
        assertThat(log.read(5, 100, true, 5).records().sizeInBytes()).isZero();
        assertThat(log.read(0, 100, true, 0).records().sizeInBytes()).isZero();
        assertThat(log.read(0, 1 << 20, true, 5).records()).isInstanceOf(FileRecords.class);
    }

    @Test
    void shouldReturnTheBatchContainingAFetchOffsetInsideIt() {
        PartitionLog log = open(smallSegments(1 << 20));
        log.appendAsLeader(batch(START_MS, "a", "b", "c"), 0, START_MS);
        List<Record> records = records(log.read(1, 1 << 20, true, 3).records());
        assertThat(records).extracting(Record::offset).containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldRejectFetchOffsetsOutsideTheLog() {
        PartitionLog log = open(smallSegments(1 << 20));
        log.appendAsLeader(batch(START_MS, "a"), 0, START_MS);
        assertError(() -> log.read(2, 100, true, 1), Errors.OFFSET_OUT_OF_RANGE);
        assertError(() -> log.read(-1, 100, true, 1), Errors.OFFSET_OUT_OF_RANGE);
        assertError(() -> log.read(2, 0, false, 1), Errors.OFFSET_OUT_OF_RANGE);
    }

    @Test
    void shouldIndexEveryIntervalAndTrimIndexesWhenSegmentRolls() throws Exception {
        PartitionLog log = open(smallSegments(4096));
        for (int i = 0; i < 80; i++) {
            log.appendAsLeader(batch(START_MS + i, "value-" + i), 0, START_MS);
        }
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        long firstBase = log.segmentBaseOffsets().get(0);
        long secondBase = log.segmentBaseOffsets().get(1);
        Path index = LogTestSupport.segmentFile(logDir, firstBase, LogSegment.INDEX_SUFFIX);
        Path activeIndex = LogTestSupport.segmentFile(logDir, log.segmentBaseOffsets().get(log.numberOfSegments() - 1), LogSegment.INDEX_SUFFIX);
        OffsetIndex reopened = new OffsetIndex(index, firstBase, 4096);
        assertThat(Files.size(index)).isEqualTo(reopened.entries() * 8L).isPositive();
        assertThat(Files.size(activeIndex)).isEqualTo(4096);
        for (long offset = firstBase; offset < secondBase; offset++) {
            OffsetIndex.OffsetPosition entry = reopened.lookup(offset);
            assertThat(entry.offset()).isLessThanOrEqualTo(offset);
        }
        reopened.sanityCheck(Files.size(LogTestSupport.segmentFile(logDir, firstBase, LogSegment.LOG_SUFFIX)));
    }

    @Test
    void shouldFindOffsetsByTimestampThroughTheTimeIndex() {
        PartitionLog log = open(smallSegments(2048));
        for (int i = 0; i < 50; i++) {
            log.appendAsLeader(batch(START_MS + i * 10L, "a" + i, "b" + i), 0, START_MS);
        }
        assertThat(log.numberOfSegments()).isGreaterThan(2);
        assertThat(log.fetchOffsetByTimestamp(START_MS + 250).orElseThrow().offset()).isEqualTo(50);
        assertThat(log.fetchOffsetByTimestamp(START_MS + 245).orElseThrow().offset()).isEqualTo(50);
        assertThat(log.fetchOffsetByTimestamp(0).orElseThrow().offset()).isZero();
        assertThat(log.fetchOffsetByTimestamp(START_MS + 10_000)).isEmpty();
        TimestampAndOffset max = log.fetchOffsetByTimestamp(PartitionLog.MAX_TIMESTAMP).orElseThrow();
        assertThat(max.timestamp()).isEqualTo(START_MS + 490);
        assertThat(max.offset()).isEqualTo(98);
        assertThat(log.fetchOffsetByTimestamp(PartitionLog.EARLIEST_TIMESTAMP).orElseThrow().offset()).isZero();
        assertThat(log.fetchOffsetByTimestamp(PartitionLog.LATEST_TIMESTAMP).orElseThrow().offset()).isEqualTo(100);
    }

    @Test
    void shouldFindTheRecordWithTheLargestTimestampInsideABatch() {
        PartitionLog log = open(smallSegments(1 << 20));
        MemoryRecords records = MemoryRecordsBuilder.builder().append(START_MS + 5, "a", "a").append(START_MS + 9, "b", "b")
            .append(START_MS + 1, "c", "c").build();
        log.appendAsLeader(records, 3, START_MS);
        TimestampAndOffset max = log.fetchOffsetByTimestamp(PartitionLog.MAX_TIMESTAMP).orElseThrow();
        assertThat(max).isEqualTo(new TimestampAndOffset(START_MS + 9, 1, 3));
        assertThat(log.fetchOffsetByTimestamp(START_MS + 6).orElseThrow().offset()).isEqualTo(1);
    }

    @Test
    void shouldDeleteSegmentsByTimeRetentionButKeepReadersWorkingUntilTheDelay() throws Exception {
        PartitionLog log = open(smallSegments(1024).toBuilder().retentionMs(60_000).fileDeleteDelayMs(30_000).build());
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(START_MS + i * 1000L, "value-" + i), 0, START_MS);
        }
        int segmentsBefore = log.numberOfSegments();
        FileRecords oldRegion = (FileRecords) log.read(0, 1 << 20, true, log.logEndOffset()).records();
        time.sleep(60_000 + 15_000);
        log.updateHighWatermark(log.logEndOffset());
        int deleted = log.deleteRetentionExpiredSegments(time.milliseconds());
        assertThat(deleted).isPositive().isLessThan(segmentsBefore);
        assertThat(log.logStartOffset()).isEqualTo(log.segmentBaseOffsets().get(0)).isPositive();
        assertError(() -> log.read(0, 100, true, 30), Errors.OFFSET_OUT_OF_RANGE);
        assertThat(records(oldRegion)).isNotEmpty();
        try (var files = Files.list(LogTestSupport.partitionDir(logDir))) {
            assertThat(files.filter(p -> p.toString().endsWith(".deleted")).count()).isEqualTo(3L * deleted);
        }
        assertThat(log.deletePendingSegments(time.milliseconds())).isZero();
        time.sleep(30_000);
        assertThat(log.deletePendingSegments(time.milliseconds())).isEqualTo(deleted);
        try (var files = Files.list(LogTestSupport.partitionDir(logDir))) {
            assertThat(files.filter(p -> p.toString().endsWith(".deleted")).count()).isZero();
        }
    }

    @Test
    void shouldRollAndDeleteTheActiveSegmentWhenEverythingExpired() {
        PartitionLog log = open(smallSegments(1 << 20).toBuilder().retentionMs(1000).build());
        log.appendAsLeader(batch(START_MS, "a", "b"), 0, START_MS);
        time.sleep(5000);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.deleteRetentionExpiredSegments(time.milliseconds())).isEqualTo(1);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.appendAsLeader(batch(time.milliseconds(), "c"), 0, time.milliseconds()).firstOffset()).isEqualTo(2);
    }

    @Test
    void shouldNotDeleteSegmentsAboveTheHighWatermark() {
        PartitionLog log = open(smallSegments(1 << 20).toBuilder().retentionMs(1000).build());
        log.appendAsLeader(batch(START_MS, "a", "b"), 0, START_MS);
        log.updateHighWatermark(1);
        time.sleep(5000);
        assertThat(log.deleteRetentionExpiredSegments(time.milliseconds())).isZero();
        assertThat(log.logStartOffset()).isZero();
    }

    @Test
    void shouldDeleteOldestSegmentsBySizeRetention() {
        PartitionLog log = open(smallSegments(1024).toBuilder().retentionBytes(2048).build());
        for (int i = 0; i < 60; i++) {
            log.appendAsLeader(batch(START_MS, "value-" + i), 0, START_MS);
        }
        long sizeBefore = log.sizeInBytes();
        assertThat(sizeBefore).isGreaterThan(2048);
        log.updateHighWatermark(log.logEndOffset());
        log.deleteRetentionExpiredSegments(time.milliseconds());
        // Kafka deletes a segment only while the excess still covers it: at most one segment over.
        assertThat(log.sizeInBytes()).isLessThan(2048 + 1024).isGreaterThan(2048 - 1024);
        assertThat(log.logStartOffset()).isPositive();
    }

    @Test
    void shouldMoveLogStartOffsetOnDeleteRecords() {
        PartitionLog log = open(smallSegments(1024));
        for (int i = 0; i < 40; i++) {
            log.appendAsLeader(batch(START_MS, "value-" + i), 0, START_MS);
        }
        log.updateHighWatermark(30);
        assertError(() -> log.deleteRecordsBefore(31), Errors.OFFSET_OUT_OF_RANGE);
        int segmentsBefore = log.numberOfSegments();
        assertThat(log.deleteRecordsBefore(25)).isEqualTo(25);
        assertThat(log.logStartOffset()).isEqualTo(25);
        assertThat(log.numberOfSegments()).isLessThan(segmentsBefore);
        assertError(() -> log.read(24, 100, true, 30), Errors.OFFSET_OUT_OF_RANGE);
        assertThat(records(log.read(25, 100, true, 30).records())).extracting(Record::offset).contains(25L);
        assertThat(log.deleteRecordsBefore(10)).isEqualTo(25);
        assertThat(log.fetchOffsetByTimestamp(PartitionLog.EARLIEST_TIMESTAMP).orElseThrow().offset()).isEqualTo(25);
    }

    @Test
    void shouldTrackLeaderEpochsLikeKafkasEpochCache() throws Exception {
        PartitionLog log = open(smallSegments(1 << 20));
        log.appendAsLeader(batch(START_MS, "a", "b"), 0, START_MS);
        log.appendAsLeader(batch(START_MS, "c"), 0, START_MS);
        log.appendAsLeader(batch(START_MS, "d", "e"), 2, START_MS);
        log.appendAsLeader(batch(START_MS, "f"), 5, START_MS);
        assertThat(log.latestEpoch()).isEqualTo(5);
        assertThat(log.endOffsetForEpoch(0)).contains(new EpochEndOffset(0, 3));
        assertThat(log.endOffsetForEpoch(1)).contains(new EpochEndOffset(0, 3));
        assertThat(log.endOffsetForEpoch(2)).contains(new EpochEndOffset(2, 5));
        assertThat(log.endOffsetForEpoch(5)).contains(new EpochEndOffset(5, 6));
        assertThat(log.endOffsetForEpoch(6)).isEmpty();
        assertThat(Files.readAllLines(LogTestSupport.partitionDir(logDir).resolve(LeaderEpochCache.FILE_NAME)))
            .containsExactly("0", "3", "0 0", "2 3", "5 5");
        assertThat(batches(log.read(3, 1 << 20, true, 6).records()).get(0).partitionLeaderEpoch()).isEqualTo(2);
    }

    @Test
    void shouldRejectInvalidBatchesAndAppendNothing() {
        PartitionLog log = open(smallSegments(4096).toBuilder().maxMessageBytes(500).build());
        MemoryRecords corrupt = batch(START_MS, "x");
        corrupt.buffer().put(corrupt.sizeInBytes() - 1, (byte) 0x7f);
        assertError(() -> log.appendAsLeader(corrupt, 0, START_MS), Errors.CORRUPT_MESSAGE);
        assertError(() -> log.appendAsLeader(batch(START_MS, "x".repeat(600)), 0, START_MS), Errors.MESSAGE_TOO_LARGE);
        MemoryRecords twoBatches = concat(batch(START_MS, "x".repeat(400)), batch(START_MS, "y".repeat(400)),
            batch(START_MS, "z".repeat(400)), batch(START_MS, "w".repeat(400)), batch(START_MS, "v".repeat(400)),
            batch(START_MS, "u".repeat(400)), batch(START_MS, "t".repeat(400)), batch(START_MS, "s".repeat(400)),
            batch(START_MS, "r".repeat(400)), batch(START_MS, "q".repeat(400)));
        assertError(() -> log.appendAsLeader(twoBatches, 0, START_MS), Errors.RECORD_LIST_TOO_LARGE);
        MemoryRecords withOffset = MemoryRecordsBuilder.builder().baseOffset(7).append(START_MS, "k", "v").build();
        assertError(() -> log.appendAsLeader(withOffset, 0, START_MS), Errors.INVALID_RECORD);
        MemoryRecords gap = MemoryRecordsBuilder.builder().append(START_MS, "k", "v")
            .appendWithOffsetDelta(2, START_MS, null, null, List.of()).build();
        assertError(() -> log.appendAsLeader(gap, 0, START_MS), Errors.INVALID_RECORD);
        MemoryRecords marker = MemoryRecordsBuilder.endTxnMarker(1L, (short) 0, START_MS,
            new io.fjord.record.EndTxnMarker(io.fjord.record.ControlRecordType.COMMIT, 0));
        assertError(() -> log.appendAsLeader(marker, 0, START_MS), Errors.INVALID_RECORD);
        MemoryRecords valid = batch(START_MS, "ok");
        MemoryRecords validThenTruncated = new MemoryRecords(concat(valid, batch(START_MS, "partial")).buffer().limit(valid.sizeInBytes() + 20));
        assertError(() -> log.appendAsLeader(validThenTruncated, 0, START_MS), Errors.CORRUPT_MESSAGE);
        assertError(() -> log.appendAsLeader(MemoryRecords.EMPTY, 0, START_MS), Errors.INVALID_RECORD);
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void shouldValidateTimestampsAgainstTheConfiguredWindow() {
        LogConfig config = LogConfig.builder().messageTimestampBeforeMaxMs(60_000).messageTimestampAfterMaxMs(1000).build();
        PartitionLog log = open(config);
        assertError(() -> log.appendAsLeader(batch(START_MS - 60_001, "old"), 0, START_MS), Errors.INVALID_TIMESTAMP);
        assertError(() -> log.appendAsLeader(batch(START_MS + 1001, "future"), 0, START_MS), Errors.INVALID_TIMESTAMP);
        assertThat(log.appendAsLeader(batch(START_MS - 60_000, "edge"), 0, START_MS).firstOffset()).isZero();
        assertThat(log.appendAsLeader(batch(START_MS + 1000, "edge"), 0, START_MS).firstOffset()).isEqualTo(1);
    }

    @Test
    void shouldRequireKeysOnCompactedTopics() {
        PartitionLog log = open(LogConfig.builder().cleanupPolicy("compact,delete").build());
        MemoryRecords noKey = MemoryRecordsBuilder.builder().append(START_MS, null, "v").build();
        assertError(() -> log.appendAsLeader(noKey, 0, START_MS), Errors.INVALID_RECORD);
        assertThat(log.appendAsLeader(batch(START_MS, "keyed"), 0, START_MS).firstOffset()).isZero();
    }

    @Test
    void shouldRewriteLogAppendTimeAndKeepTheCrcValid() {
        PartitionLog log = open(LogConfig.builder().messageTimestampType(TimestampType.LOG_APPEND_TIME).build());
        MemoryRecords records = MemoryRecordsBuilder.builder().compression(CompressionType.ZSTD).append(5L, "k", "v").append(6L, "k", "w").build();
        LogAppendResult result = log.appendAsLeader(records, 1, START_MS + 7);
        assertThat(result.logAppendTimeMs()).isEqualTo(START_MS + 7);
        RecordBatchView stored = batches(log.read(0, 1 << 20, true, 2).records()).get(0);
        assertThat(stored.isValid()).isTrue();
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(START_MS + 7);
        assertThat(stored.compressionType()).isEqualTo(CompressionType.ZSTD);
    }

    @Test
    void shouldRecompressWhenTheTopicForcesACodec() {
        PartitionLog log = open(LogConfig.builder().compressionType("lz4").build());
        log.appendAsLeader(idempotentGzip(), 0, START_MS);
        RecordBatchView stored = batches(log.read(0, 1 << 20, true, 3).records()).get(0);
        assertThat(stored.compressionType()).isEqualTo(CompressionType.LZ4);
        assertThat(stored.isValid()).isTrue();
        assertThat(stored.producerId()).isEqualTo(9L);
        assertThat(stored.baseSequence()).isEqualTo(0);
        assertThat(stored.recordList(1 << 20)).extracting(r -> utf8(r.value())).containsExactly("a", "b", "c");
    }

    @Test
    void shouldRollWhenSegmentMsPasses() {
        PartitionLog log = open(smallSegments(1 << 20).toBuilder().segmentMs(10_000).build());
        log.appendAsLeader(batch(START_MS, "a"), 0, START_MS);
        log.appendAsLeader(batch(START_MS + 5000, "b"), 0, START_MS + 5000);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        log.appendAsLeader(batch(START_MS + 10_001, "c"), 0, START_MS + 10_001);
        assertThat(log.numberOfSegments()).isEqualTo(2);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L);
    }

    @Test
    void shouldReportFlushDueAtFlushMessagesAndFlushOnFlushMs() {
        PartitionLog log = open(smallSegments(1 << 20).toBuilder().flushMessages(3).flushMs(1000).build());
        assertThat(log.appendAsLeader(batch(START_MS, "a", "b"), 0, START_MS).flushDue()).isFalse();
        LogAppendResult third = log.appendAsLeader(batch(START_MS, "c"), 0, START_MS);
        // The append only reports it: the caller fsyncs off its network thread.
        assertThat(third.flushDue()).isTrue();
        assertThat(log.recoveryPoint()).isZero();
        log.flush(third.lastOffset() + 1);
        assertThat(log.recoveryPoint()).isEqualTo(3);
        assertThat(log.appendAsLeader(batch(START_MS, "d"), 0, START_MS).flushDue()).isFalse();
        log.maybeFlush(time.milliseconds() + 10);
        assertThat(log.recoveryPoint()).isEqualTo(3);
        time.sleep(1000);
        log.maybeFlush(time.milliseconds());
        assertThat(log.recoveryPoint()).isEqualTo(4);
    }

    @Test
    void shouldReturnAtOnceFromAFlushAnEarlierOneCovered() {
        PartitionLog log = open(smallSegments(1 << 20));
        log.appendAsLeader(batch(START_MS, "a", "b"), 0, START_MS);
        log.flush(1);
        // The whole log as it stood was fsynced, not just offset 0.
        assertThat(log.recoveryPoint()).isEqualTo(2);
        log.flush(2);
        assertThat(log.recoveryPoint()).isEqualTo(2);
    }

    @Test
    void shouldFlushOnlyTheSegmentsBelowAnOffsetAndMoveTheRecoveryPointThere() {
        PartitionLog log = open(smallSegments(1024));
        while (log.numberOfSegments() < 3) {
            log.appendAsLeader(batch(START_MS, "x".repeat(200)), 0, START_MS);
        }
        long secondBase = log.segmentBaseOffsets().get(1);
        long activeBase = log.segmentBaseOffsets().get(2);
        log.flushBelow(secondBase);
        // Not the log end: the segments from secondBase on are still unflushed, and a crash recovers them.
        assertThat(log.recoveryPoint()).isEqualTo(secondBase);
        log.flushBelow(activeBase);
        assertThat(log.recoveryPoint()).isEqualTo(activeBase);
        log.flushBelow(secondBase);
        assertThat(log.recoveryPoint()).as("never moves back").isEqualTo(activeBase);
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(log.logEndOffset());
    }

    @Test
    void shouldKeepAppendingWhileAnotherThreadFlushes() throws Exception {
        PartitionLog log = open(smallSegments(4096));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> flushFailure = new AtomicReference<>();
        Thread flusher = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    log.flush();
                }
            } catch (Throwable t) {
                flushFailure.set(t);
            }
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            expected.add("v" + i);
            log.appendAsLeader(batch(START_MS, "v" + i), 0, START_MS);
        }
        stop.set(true);
        flusher.join();
        assertThat(flushFailure.get()).isNull();
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(2000);
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        assertThat(readAllValues(log, 0, 1 << 20)).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldFlushThroughTheManagerOffTheCallersThreadAndRefuseOnceShutDown() throws Exception {
        PartitionLog log = open(smallSegments(1 << 20));
        log.appendAsLeader(batch(START_MS, "a"), 0, START_MS);
        manager.flushAsync(log, 1).get(10, TimeUnit.SECONDS);
        assertThat(log.recoveryPoint()).isEqualTo(1);
        manager.shutdown();
        assertThatThrownBy(() -> manager.flushAsync(log, 1).get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(ApiException.class);
    }

    @Test
    void shouldTakeTheLogOfflineAndReportOnceOnIoFailure() throws Exception {
        List<String> failures = new ArrayList<>();
        LogConfig config = smallSegments(1024);
        manager = LogTestSupport.manager(logDir, time, config, (dir, context, cause) -> failures.add(context));
        PartitionLog log = manager.getOrCreateLog(TP, TOPIC_ID, config);
        log.appendAsLeader(batch(START_MS, "before"), 0, START_MS);
        try (var files = Files.walk(LogTestSupport.partitionDir(logDir))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        // The next roll must create files in the vanished directory.
        assertError(() -> {
            for (int i = 0; i < 50; i++) {
                log.appendAsLeader(batch(START_MS, "x".repeat(100)), 0, START_MS);
            }
        }, Errors.KAFKA_STORAGE_ERROR);
        assertError(() -> log.appendAsLeader(batch(START_MS, "after"), 0, START_MS), Errors.KAFKA_STORAGE_ERROR);
        assertError(() -> log.read(0, 100, true, 1), Errors.KAFKA_STORAGE_ERROR);
        assertThat(failures).hasSize(1);
        manager = null;
    }

    @Test
    void shouldServeLockFreeReadsWhileAppending() throws Exception {
        PartitionLog log = open(smallSegments(4096));
        int total = 1500;
        List<Throwable> readerErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            long next = 0;
            try {
                while (next < total) {
                    long end = log.logEndOffset();
                    if (next >= end) {
                        Thread.onSpinWait();
                        continue;
                    }
                    for (Record record : records(log.read(next, 2048, true, end).records())) {
                        if (record.offset() >= next) {
                            assertThat(record.offset()).isEqualTo(next);
                            assertThat(utf8(record.value())).isEqualTo("v" + next);
                            next++;
                        }
                    }
                }
            } catch (Throwable t) {
                readerErrors.add(t);
            }
        });
        reader.start();
        for (int i = 0; i < total; i++) {
            log.appendAsLeader(MemoryRecordsBuilder.builder().append(START_MS, "k", "v" + i).build(), 0, START_MS);
        }
        reader.join(20_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(readerErrors).isEmpty();
    }

    private static MemoryRecords idempotentGzip() {
        return MemoryRecordsBuilder.builder().compression(CompressionType.GZIP).producer(9L, (short) 0, 0)
            .append(START_MS, "k", "a").append(START_MS, "k", "b").append(START_MS, "k", "c").build();
    }

    static MemoryRecords concat(MemoryRecords... parts) {
        ByteBuffer joined = ByteBuffer.allocate(IntStream.range(0, parts.length).map(i -> parts[i].sizeInBytes()).sum());
        for (MemoryRecords part : parts) {
            joined.put(part.duplicateBuffer());
        }
        return new MemoryRecords(joined.flip());
    }

    static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Errors error) {
        assertThatThrownBy(call).isInstanceOf(ApiException.class).extracting(e -> ((ApiException) e).error()).isEqualTo(error);
    }
}
