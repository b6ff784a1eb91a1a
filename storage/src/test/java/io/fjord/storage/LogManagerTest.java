package io.fjord.storage;

import static io.fjord.storage.LogTestSupport.START_MS;
import static io.fjord.storage.LogTestSupport.TOPIC_ID;
import static io.fjord.storage.LogTestSupport.TP;
import static io.fjord.storage.LogTestSupport.batch;
import static io.fjord.storage.LogTestSupport.readAllValues;
import static io.fjord.storage.LogTestSupport.segmentFile;
import static io.fjord.storage.LogTestSupport.smallSegments;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.TopicPartition;
import io.fjord.common.Uuid;
import io.fjord.record.FileRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup, recovery and shutdown; each crash test leaves the old instance unclosed, like kill -9. */
class LogManagerTest {

    private static final int BATCHES = 40;

    @TempDir
    Path logDir;

    private final FakeTime time = new FakeTime(START_MS);
    private final LogConfig config = smallSegments(2048);
    private LogManager manager;

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

    /** Appends BATCHES single-record batches "value-i" and returns the values. */
    private List<String> fill(PartitionLog log) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            log.appendAsLeader(batch(START_MS + i, "value-" + i), 0, START_MS);
            values.add("value-" + i);
        }
        return values;
    }

    private PartitionLog crashAndReopen() {
        manager = null;
        return open();
    }

    private long lastSegmentBase(PartitionLog log) {
        return log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
    }

    @Test
    void shouldNotScanOnCleanRestart() throws Exception {
        PartitionLog log = open();
        List<String> values = fill(log);
        manager.shutdown();
        assertThat(logDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).exists();
        assertThat(Files.readAllLines(logDir.resolve(LogManager.RECOVERY_POINT_CHECKPOINT_FILE))).containsExactly("0", "1", "orders 0 40");
        PartitionLog reopened = open();
        assertThat(reopened.loadStats()).isEqualTo(new LogLoadStats(true, 0, 0, 0, 0));
        assertThat(logDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).doesNotExist();
        assertThat(reopened.logEndOffset()).isEqualTo(BATCHES);
        assertThat(readAllValues(reopened, 0, 300)).isEqualTo(values);
        assertThat(reopened.appendAsLeader(batch(START_MS, "next"), 0, START_MS).firstOffset()).isEqualTo(BATCHES);
        assertThat(Files.readAllLines(LogTestSupport.partitionDir(logDir).resolve(PartitionMetadataFile.FILE_NAME)))
            .containsExactly("version: 0", "topic_id: " + TOPIC_ID);
        assertThat(reopened.topicId()).isEqualTo(TOPIC_ID);
    }

    @Test
    void shouldRecoverEverythingAfterUncleanShutdownWithoutDamage() {
        PartitionLog log = open();
        List<String> values = fill(log);
        PartitionLog reopened = crashAndReopen();
        assertThat(reopened.loadStats().hadCleanShutdown()).isFalse();
        assertThat(reopened.loadStats().segmentsRecovered()).isPositive();
        assertThat(reopened.loadStats().bytesTruncated()).isZero();
        assertThat(readAllValues(reopened, 0, 300)).isEqualTo(values);
    }

    @Test
    void shouldRecoverOnlyTheActiveSegmentOnceTheRollsWereFlushed() throws Exception {
        PartitionLog log = open();
        manager.setRollFlushDelayMs(0);
        List<String> values = fill(log);
        long activeBase = lastSegmentBase(log);
        assertThat(log.numberOfSegments()).isGreaterThanOrEqualTo(2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.recoveryPoint() < activeBase && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // The rolls fsynced every segment but the active one, in the background.
        assertThat(log.recoveryPoint()).isEqualTo(activeBase);
        manager.checkpoint();
        PartitionLog reopened = crashAndReopen();
        assertThat(reopened.loadStats().hadCleanShutdown()).isFalse();
        assertThat(reopened.loadStats().segmentsRecovered()).isEqualTo(1);
        assertThat(readAllValues(reopened, 0, 300)).isEqualTo(values);
    }

    @Test
    void shouldLeaveRolledSegmentsUnflushedUntilTheRollFlushDelay() {
        PartitionLog log = open();
        fill(log);
        assertThat(log.numberOfSegments()).isGreaterThanOrEqualTo(2);
        // The default delay (35 s) has not passed: the kernel's writeback gets there first.
        assertThat(log.recoveryPoint()).isZero();
    }

    @Test
    void shouldTruncateATornWrite() throws Exception {
        PartitionLog log = open();
        List<String> values = fill(log);
        Path active = segmentFile(logDir, lastSegmentBase(log), LogSegment.LOG_SUFFIX);
        truncateBy(active, 10);
        PartitionLog reopened = crashAndReopen();
        assertThat(reopened.logEndOffset()).isEqualTo(BATCHES - 1);
        assertThat(reopened.loadStats().bytesTruncated()).isPositive();
        assertThat(readAllValues(reopened, 0, 300)).isEqualTo(values.subList(0, BATCHES - 1));
        assertThat(reopened.appendAsLeader(batch(START_MS, "after"), 0, START_MS).firstOffset()).isEqualTo(BATCHES - 1);
    }

    @Test
    void shouldTruncateGarbageAfterTheLastBatch() throws Exception {
        PartitionLog log = open();
        List<String> values = fill(log);
        Path active = segmentFile(logDir, lastSegmentBase(log), LogSegment.LOG_SUFFIX);
        long sizeBefore = Files.size(active);
        byte[] garbage = new byte[100];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 37 + 11);
        }
        Files.write(active, garbage, StandardOpenOption.APPEND);
        PartitionLog reopened = crashAndReopen();
        assertThat(Files.size(active)).isEqualTo(sizeBefore);
        assertThat(reopened.logEndOffset()).isEqualTo(BATCHES);
        assertThat(readAllValues(reopened, 0, 300)).isEqualTo(values);
    }

    @Test
    void shouldTruncateAtACorruptedByteInTheLastBatch() throws Exception {
        PartitionLog log = open();
        List<String> values = fill(log);
        Path active = segmentFile(logDir, lastSegmentBase(log), LogSegment.LOG_SUFFIX);
        long size = Files.size(active);
        flipByte(active, size - 5);
        PartitionLog reopened = crashAndReopen();
        assertThat(reopened.logEndOffset()).isEqualTo(BATCHES - 1);
        assertThat(readAllValues(reopened, 0, 300)).isEqualTo(values.subList(0, BATCHES - 1));
    }

    @Test
    void shouldDropLaterSegmentsWhenAnEarlierUnflushedSegmentIsCorrupt() throws Exception {
        PartitionLog log = open();
        List<String> values = fill(log);
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        long secondBase = log.segmentBaseOffsets().get(1);
        Path first = segmentFile(logDir, 0, LogSegment.LOG_SUFFIX);
        // Corrupt the last batch of the first segment.
        flipByte(first, Files.size(first) - 3);
        PartitionLog reopened = crashAndReopen();
        assertThat(reopened.numberOfSegments()).isEqualTo(1);
        assertThat(reopened.logEndOffset()).isEqualTo(secondBase - 1);
        assertThat(readAllValues(reopened, 0, 300)).isEqualTo(values.subList(0, (int) secondBase - 1));
    }

    @Test
    void shouldRebuildACorruptIndexOnCleanRestart() throws Exception {
        PartitionLog log = open();
        List<String> values = fill(log);
        manager.shutdown();
        Path index = segmentFile(logDir, 0, LogSegment.INDEX_SUFFIX);
        assertThat(Files.size(index)).isPositive();
        byte[] bytes = Files.readAllBytes(index);
        bytes[bytes.length - 1] = (byte) 0xff;
        bytes[bytes.length - 2] = (byte) 0x7f;
        Files.write(index, bytes);
        PartitionLog reopened = open();
        assertThat(reopened.loadStats().indexesRebuilt()).isEqualTo(1);
        assertThat(reopened.loadStats().segmentsRecovered()).isZero();
        assertThat(readAllValues(reopened, 0, 1)).isEqualTo(values);
    }

    @Test
    void shouldRebuildAMissingIndexOnCleanRestart() throws Exception {
        PartitionLog log = open();
        List<String> values = fill(log);
        manager.shutdown();
        Files.delete(segmentFile(logDir, 0, LogSegment.INDEX_SUFFIX));
        Files.delete(segmentFile(logDir, 0, LogSegment.TIME_INDEX_SUFFIX));
        PartitionLog reopened = open();
        assertThat(reopened.loadStats().indexesRebuilt()).isEqualTo(1);
        assertThat(readAllValues(reopened, 0, 1)).isEqualTo(values);
        assertThat(reopened.fetchOffsetByTimestamp(START_MS + 3).orElseThrow().offset()).isEqualTo(3);
    }

    @Test
    void shouldKeepLogStartOffsetAcrossRestart() {
        PartitionLog log = open();
        fill(log);
        log.updateHighWatermark(log.logEndOffset());
        log.deleteRecordsBefore(7);
        manager.shutdown();
        PartitionLog reopened = open();
        assertThat(reopened.logStartOffset()).isEqualTo(7);
    }

    @Test
    void shouldRenameDeletedLogAndRemoveItAfterTheDelay() throws Exception {
        LogConfig delayed = config.toBuilder().fileDeleteDelayMs(10_000).build();
        manager = LogTestSupport.manager(logDir, time, delayed);
        PartitionLog log = manager.getOrCreateLog(TP, TOPIC_ID, delayed);
        fill(log);
        FileRecords region = (FileRecords) log.read(0, 1 << 20, true, log.logEndOffset()).records();
        manager.deleteLog(TP);
        assertThat(manager.getLog(TP)).isEmpty();
        assertThat(LogTestSupport.partitionDir(logDir)).doesNotExist();
        List<Path> deleted;
        try (var dirs = Files.list(logDir)) {
            deleted = dirs.filter(p -> p.getFileName().toString().endsWith(LogManager.DELETE_DIR_SUFFIX)).toList();
        }
        assertThat(deleted).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).startsWith("orders-0."));
        assertThat(LogTestSupport.records(region)).isNotEmpty();
        manager.runRetention(time.milliseconds());
        assertThat(deleted.get(0)).exists();
        time.sleep(10_000);
        manager.runRetention(time.milliseconds());
        assertThat(deleted.get(0)).doesNotExist();
        PartitionLog recreated = manager.getOrCreateLog(TP, Uuid.random(new java.util.SplittableRandom(2)), delayed);
        assertThat(recreated.logEndOffset()).isZero();
    }

    @Test
    void shouldLoadEveryPartitionAndSpreadNewOnesOverLogDirs(@TempDir Path secondDir) {
        manager = new LogManager(List.of(logDir, secondDir), config, time, (d, c, e) -> {
            throw new AssertionError(c, e);
        }, LogManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        manager.startup(topic -> null);
        for (int p = 0; p < 4; p++) {
            manager.getOrCreateLog(new TopicPartition("t", p), TOPIC_ID, config).appendAsLeader(batch(START_MS, "v" + p), 0, START_MS);
        }
        assertThat(logDir.resolve("t-0")).exists();
        assertThat(secondDir.resolve("t-1")).exists();
        manager.shutdown();
        manager = new LogManager(List.of(logDir, secondDir), config, time, (d, c, e) -> {
            throw new AssertionError(c, e);
        }, LogManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        manager.startup(topic -> null);
        assertThat(manager.allLogs()).hasSize(4).allSatisfy(l -> assertThat(l.logEndOffset()).isEqualTo(1));
    }

    @Test
    void shouldParseTopicPartitionDirectoryNames() {
        assertThat(LogManager.parseTopicPartition("my-topic-12")).contains(new TopicPartition("my-topic", 12));
        assertThat(LogManager.parseTopicPartition("lost+found")).isEmpty();
        assertThat(LogManager.parseTopicPartition("t-")).isEmpty();
    }

    private static void truncateBy(Path file, long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - bytes);
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5a));
            one.rewind();
            channel.write(one, position);
        }
    }
}
