package io.fjord.storage;

import static io.fjord.storage.LogTestSupport.START_MS;
import static io.fjord.storage.LogTestSupport.TOPIC_ID;
import static io.fjord.storage.LogTestSupport.TP;
import static io.fjord.storage.LogTestSupport.batch;
import static io.fjord.storage.LogTestSupport.idempotent;
import static io.fjord.storage.LogTestSupport.smallSegments;
import static io.fjord.storage.PartitionLogTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.errors.Errors;
import io.fjord.record.ControlRecordType;
import io.fjord.record.EndTxnMarker;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotenceTest {

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

    @Test
    void shouldAckDuplicateBatchWithOriginalOffset() {
        PartitionLog log = open();
        log.appendAsLeader(batch(START_MS, "other"), 0, START_MS);
        LogAppendResult first = log.appendAsLeader(idempotent(7L, (short) 0, 0, START_MS, "a", "b"), 0, START_MS);
        log.appendAsLeader(idempotent(7L, (short) 0, 2, START_MS, "c"), 0, START_MS);
        LogAppendResult retry = log.appendAsLeader(idempotent(7L, (short) 0, 0, START_MS, "a", "b"), 0, START_MS);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(first.firstOffset()).isEqualTo(1);
        assertThat(retry.lastOffset()).isEqualTo(first.lastOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(4);
    }

    @Test
    void shouldRememberOnlyTheLastFiveBatches() {
        PartitionLog log = open();
        for (int seq = 0; seq < 6; seq++) {
            log.appendAsLeader(idempotent(7L, (short) 0, seq, START_MS, "v" + seq), 0, START_MS);
        }
        assertThat(log.appendAsLeader(idempotent(7L, (short) 0, 1, START_MS, "v1"), 0, START_MS).duplicate()).isTrue();
        assertError(() -> log.appendAsLeader(idempotent(7L, (short) 0, 0, START_MS, "v0"), 0, START_MS), Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void shouldRejectSequenceGapsStaleEpochsAndNewEpochsNotStartingAtZero() {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7L, (short) 1, 0, START_MS, "a"), 0, START_MS);
        assertError(() -> log.appendAsLeader(idempotent(7L, (short) 1, 2, START_MS, "gap"), 0, START_MS), Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertError(() -> log.appendAsLeader(idempotent(7L, (short) 0, 1, START_MS, "stale"), 0, START_MS), Errors.INVALID_PRODUCER_EPOCH);
        assertError(() -> log.appendAsLeader(idempotent(7L, (short) 2, 5, START_MS, "bump"), 0, START_MS), Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.appendAsLeader(idempotent(7L, (short) 2, 0, START_MS, "bump"), 0, START_MS).firstOffset()).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void shouldAcceptAnUnknownProducerAtAnySequence() {
        PartitionLog log = open();
        assertThat(log.appendAsLeader(idempotent(8L, (short) 3, 42, START_MS, "a"), 0, START_MS).firstOffset()).isZero();
        assertThat(log.activeProducers()).singleElement().satisfies(p -> {
            assertThat(p.producerId()).isEqualTo(8L);
            assertThat(p.producerEpoch()).isEqualTo((short) 3);
            assertThat(p.lastSequence()).isEqualTo(42);
            assertThat(p.currentTxnStartOffset()).isEqualTo(-1L);
            assertThat(p.lastTimestamp()).isEqualTo(START_MS);
        });
    }

    @Test
    void shouldWrapSequencesPastIntMax() {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7L, (short) 0, Integer.MAX_VALUE - 1, START_MS, "a", "b"), 0, START_MS);
        assertThat(log.appendAsLeader(idempotent(7L, (short) 0, 0, START_MS, "c"), 0, START_MS).firstOffset()).isEqualTo(2);
    }

    @Test
    void shouldTrackTransactionsAndMarkers() {
        PartitionLog log = open();
        MemoryRecords txn = MemoryRecordsBuilder.builder().producer(5L, (short) 0, 0).transactional(true).append(START_MS, "k", "v").build();
        log.appendAsLeader(batch(START_MS, "x"), 0, START_MS);
        log.appendAsLeader(txn, 0, START_MS);
        assertThat(log.activeProducers()).singleElement().extracting(ProducerStateEntry::currentTxnStartOffset).isEqualTo(1L);
        assertError(() -> log.appendAsLeader(idempotent(5L, (short) 0, 1, START_MS, "non-txn"), 0, START_MS), Errors.INVALID_TXN_STATE);
        MemoryRecords commit = MemoryRecordsBuilder.endTxnMarker(5L, (short) 0, START_MS, new EndTxnMarker(ControlRecordType.COMMIT, 3));
        log.appendAsLeader(commit, 0, START_MS, AppendOrigin.COORDINATOR);
        assertThat(log.activeProducers()).singleElement().satisfies(p -> {
            assertThat(p.currentTxnStartOffset()).isEqualTo(-1L);
            assertThat(p.coordinatorEpoch()).isEqualTo(3);
        });
        MemoryRecords fenced = MemoryRecordsBuilder.endTxnMarker(5L, (short) 0, START_MS, new EndTxnMarker(ControlRecordType.ABORT, 2));
        assertError(() -> log.appendAsLeader(fenced, 0, START_MS, AppendOrigin.COORDINATOR), Errors.TRANSACTION_COORDINATOR_FENCED);
    }

    @Test
    void shouldKeepProducerStateAcrossCleanRestart() {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7L, (short) 0, 0, START_MS, "a"), 0, START_MS);
        log.appendAsLeader(idempotent(7L, (short) 0, 1, START_MS, "b"), 0, START_MS);
        manager.shutdown();
        PartitionLog reopened = open();
        assertThat(reopened.loadStats().batchesReplayed()).isZero();
        LogAppendResult retry = reopened.appendAsLeader(idempotent(7L, (short) 0, 1, START_MS, "b"), 0, START_MS);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(1);
        assertError(() -> reopened.appendAsLeader(idempotent(7L, (short) 0, 5, START_MS, "gap"), 0, START_MS), Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void shouldRebuildProducerStateAfterUncleanRestartFromSnapshotAndLog() throws Exception {
        PartitionLog log = open();
        for (int seq = 0; seq < 40; seq++) {
            log.appendAsLeader(idempotent(7L, (short) 0, seq, START_MS, "value-" + seq), 0, START_MS);
        }
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        // Crash: no shutdown, no marker; the snapshots written at rolls remain.
        manager = null;
        PartitionLog reopened = open();
        assertThat(reopened.loadStats().hadCleanShutdown()).isFalse();
        assertThat(reopened.loadStats().batchesReplayed()).isPositive();
        for (int seq = 35; seq < 40; seq++) {
            assertThat(reopened.appendAsLeader(idempotent(7L, (short) 0, seq, START_MS, "value-" + seq), 0, START_MS).duplicate()).isTrue();
        }
        assertThat(reopened.appendAsLeader(idempotent(7L, (short) 0, 40, START_MS, "next"), 0, START_MS).firstOffset()).isEqualTo(40);
    }

    @Test
    void shouldRebuildProducerStateWhenSnapshotsAreMissing() throws Exception {
        PartitionLog log = open();
        for (int seq = 0; seq < 20; seq++) {
            log.appendAsLeader(idempotent(7L, (short) 0, seq, START_MS, "value-" + seq), 0, START_MS);
        }
        manager.shutdown();
        try (var files = Files.list(LogTestSupport.partitionDir(logDir))) {
            for (Path file : files.filter(p -> p.toString().endsWith(ProducerStateManager.SNAPSHOT_SUFFIX)).toList()) {
                Files.delete(file);
            }
        }
        PartitionLog reopened = open();
        assertThat(reopened.loadStats().batchesReplayed()).isEqualTo(20);
        assertThat(reopened.appendAsLeader(idempotent(7L, (short) 0, 19, START_MS, "value-19"), 0, START_MS).duplicate()).isTrue();
        assertThat(reopened.activeProducers()).extracting(ProducerStateEntry::lastSequence).containsExactly(19);
    }

    @Test
    void shouldWriteKafkaFormatSnapshots() throws Exception {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7L, (short) 2, 0, START_MS, "a", "b", "c"), 0, START_MS);
        manager.shutdown();
        Path snapshot = ProducerStateManager.snapshotFile(LogTestSupport.partitionDir(logDir), 3);
        byte[] bytes = Files.readAllBytes(snapshot);
        assertThat(bytes).hasSize(2 + 4 + 4 + 46);
        assertThat(ProducerStateManager.readSnapshot(snapshot).orElseThrow()).singleElement().satisfies(e -> {
            assertThat(e.producerId()).isEqualTo(7L);
            assertThat(e.producerEpoch()).isEqualTo((short) 2);
            assertThat(e.batchMetadata()).containsExactly(new BatchMetadata(0, 2, 0, 2, START_MS));
        });
        bytes[bytes.length - 1] ^= 1;
        Files.write(snapshot, bytes);
        assertThat(ProducerStateManager.readSnapshot(snapshot)).isEmpty();
    }
}
