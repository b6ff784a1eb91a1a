package io.fjord.coordinator.transaction;

import io.fjord.common.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.transaction.TransactionCoordinatorShard.InitProducerIdResult;
import io.fjord.coordinator.transaction.TransactionMarkerWriter.MarkerRequest;
import io.fjord.protocol.message.DescribeTransactionsResponseData;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The transaction state machine of one {@code __transaction_state} partition, driven with a fake clock. */
class TransactionCoordinatorShardTest {

    private static final String TXN_ID = "copier-1";
    private static final int TIMEOUT_MS = 60_000;
    private static final TopicPartition OUT_0 = new TopicPartition("out", 0);
    private static final TopicPartition OUT_1 = new TopicPartition("out", 1);

    private final FakeTransactionLog log = new FakeTransactionLog();
    private final TransactionCoordinatorConfig config = TransactionCoordinatorConfig.builder()
            .transactionMaxTimeoutMs(TIMEOUT_MS * 2).abortTimedOutTransactionCleanupIntervalMs(1_000)
            .transactionalIdExpirationMs(3_600_000).removeExpiredTransactionalIdCleanupIntervalMs(60_000).build();
    private long nextProducerId = 1000;
    private long nowMs = 1_000_000L;
    private TransactionCoordinatorShard shard = newShard();

    private TransactionCoordinatorShard newShard() {
        TransactionCoordinatorShard created = new TransactionCoordinatorShard(0, 3, config, log, () -> nextProducerId++);
        created.load(nowMs);
        return created;
    }

    private InitProducerIdResult init() {
        return shard.handleInitProducerId(TXN_ID, TIMEOUT_MS, -1, (short) -1, nowMs);
    }

    private TransactionState state() {
        return shard.metadata(TXN_ID).orElseThrow().state();
    }

    private void advance(long ms) {
        nowMs += ms;
        shard.poll(nowMs);
    }

    /** Completes every transaction waiting for markers, as a marker writer that always succeeds would. */
    private List<MarkerRequest> writeAllMarkers() {
        List<MarkerRequest> requests = shard.drainMarkerRequests();
        requests.forEach(request -> shard.onMarkersWritten(request, nowMs));
        return requests;
    }

    @Test
    void shouldAllocateProducerIdWithEpochZeroAndBumpTheEpochOnEveryInit() {
        InitProducerIdResult first = init();
        assertThat(first).isEqualTo(new InitProducerIdResult(Errors.NONE, 1000, (short) 0));
        assertThat(init()).isEqualTo(new InitProducerIdResult(Errors.NONE, 1000, (short) 1));
        assertThat(state()).isEqualTo(TransactionState.EMPTY);
        assertThat(shard.handleInitProducerId("other", TIMEOUT_MS, -1, (short) -1, nowMs).producerId()).isEqualTo(1001);
    }

    @Test
    void shouldRejectTimeoutsAboveTheMaximumAndEmptyIds() {
        assertThat(shard.handleInitProducerId(TXN_ID, TIMEOUT_MS * 2 + 1, -1, (short) -1, nowMs).error())
                .isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(shard.handleInitProducerId("", TIMEOUT_MS, -1, (short) -1, nowMs).error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(shard.metadata(TXN_ID)).isEmpty();
    }

    @Test
    void shouldCommitThroughPrepareCommitAndCompleteOnlyAfterEveryMarker() {
        InitProducerIdResult producer = init();
        assertThat(shard.handleAddPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), Set.of(OUT_0, OUT_1), nowMs))
                .isEqualTo(Errors.NONE);
        assertThat(state()).isEqualTo(TransactionState.ONGOING);

        assertThat(shard.handleEndTxn(TXN_ID, producer.producerId(), producer.producerEpoch(), true, nowMs)).isEqualTo(Errors.NONE);

        assertThat(state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(shard.handleEndTxn(TXN_ID, producer.producerId(), producer.producerEpoch(), true, nowMs))
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(shard.handleAddPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), Set.of(OUT_0), nowMs))
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(shard.verifyPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), List.of(OUT_0)))
                .isEqualTo(Errors.INVALID_TXN_STATE);
        List<MarkerRequest> markers = writeAllMarkers();
        assertThat(markers).containsExactly(new MarkerRequest(TXN_ID, 1000, (short) 0, 3, true, Set.of(OUT_0, OUT_1)));
        assertThat(state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(shard.metadata(TXN_ID).orElseThrow().partitions()).isEmpty();

        // A retried EndTxn of the same outcome succeeds; the other outcome is an invalid transition.
        assertThat(shard.handleEndTxn(TXN_ID, producer.producerId(), producer.producerEpoch(), true, nowMs)).isEqualTo(Errors.NONE);
        assertThat(shard.handleEndTxn(TXN_ID, producer.producerId(), producer.producerEpoch(), false, nowMs))
                .isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void shouldAcceptWritesOnlyToPartitionsOfTheOngoingTransaction() {
        InitProducerIdResult producer = init();
        assertThat(shard.verifyPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), List.of(OUT_0)))
                .isEqualTo(Errors.INVALID_TXN_STATE);
        shard.handleAddPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), Set.of(OUT_0), nowMs);

        assertThat(shard.verifyPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), List.of(OUT_0))).isEqualTo(Errors.NONE);
        assertThat(shard.verifyPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), List.of(OUT_1)))
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(shard.verifyPartitions(TXN_ID, producer.producerId(), (short) (producer.producerEpoch() - 1), List.of(OUT_0)))
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(shard.verifyPartitions(TXN_ID, 5, producer.producerEpoch(), List.of(OUT_0))).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(shard.verifyPartitions("unknown", producer.producerId(), producer.producerEpoch(), List.of(OUT_0)))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void shouldFenceTheOngoingTransactionOfAZombieByAbortingWithABumpedEpoch() {
        InitProducerIdResult zombie = init();
        shard.handleAddPartitions(TXN_ID, zombie.producerId(), zombie.producerEpoch(), Set.of(OUT_0), nowMs);

        assertThat(init().error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(init().error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        List<MarkerRequest> markers = writeAllMarkers();
        assertThat(markers).containsExactly(new MarkerRequest(TXN_ID, 1000, (short) 1, 3, false, Set.of(OUT_0)));
        assertThat(state()).isEqualTo(TransactionState.COMPLETE_ABORT);

        InitProducerIdResult successor = init();
        assertThat(successor).isEqualTo(new InitProducerIdResult(Errors.NONE, 1000, (short) 2));
        assertThat(shard.handleAddPartitions(TXN_ID, zombie.producerId(), zombie.producerEpoch(), Set.of(OUT_1), nowMs))
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(shard.handleEndTxn(TXN_ID, zombie.producerId(), zombie.producerEpoch(), true, nowMs)).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldAbortATransactionPastItsTimeoutAndFenceItsProducer() {
        InitProducerIdResult producer = init();
        shard.handleAddPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), Set.of(OUT_0), nowMs);

        advance(TIMEOUT_MS);
        assertThat(state()).isEqualTo(TransactionState.ONGOING);
        advance(1_000);

        assertThat(state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(writeAllMarkers()).extracting(MarkerRequest::producerEpoch, MarkerRequest::commit).containsExactly(
                org.assertj.core.groups.Tuple.tuple((short) 1, false));
        assertThat(state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(shard.handleEndTxn(TXN_ID, producer.producerId(), producer.producerEpoch(), true, nowMs)).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldRewriteMarkersOfATransactionFoundPreparedOnReload() {
        InitProducerIdResult producer = init();
        shard.handleAddPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), Set.of(OUT_0, OUT_1), nowMs);
        shard.handleEndTxn(TXN_ID, producer.producerId(), producer.producerEpoch(), true, nowMs);
        shard.drainMarkerRequests();

        shard = newShard();

        assertThat(state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(writeAllMarkers()).containsExactly(new MarkerRequest(TXN_ID, 1000, (short) 0, 3, true, Set.of(OUT_0, OUT_1)));
        shard = newShard();
        assertThat(state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(shard.drainMarkerRequests()).isEmpty();
        assertThat(init()).isEqualTo(new InitProducerIdResult(Errors.NONE, 1000, (short) 1));
    }

    @Test
    void shouldBumpTheCallersOwnEpochAndAnswerRetriesOfThatBumpWithTheSameEpoch() {
        InitProducerIdResult producer = init();
        InitProducerIdResult bumped = shard.handleInitProducerId(TXN_ID, TIMEOUT_MS, producer.producerId(), producer.producerEpoch(), nowMs);
        assertThat(bumped).isEqualTo(new InitProducerIdResult(Errors.NONE, 1000, (short) 1));

        assertThat(shard.handleInitProducerId(TXN_ID, TIMEOUT_MS, producer.producerId(), producer.producerEpoch(), nowMs)).isEqualTo(bumped);
        assertThat(shard.handleInitProducerId(TXN_ID, TIMEOUT_MS, 999, (short) 1, nowMs).error()).isEqualTo(Errors.PRODUCER_FENCED);
        init();
        assertThat(shard.handleInitProducerId(TXN_ID, TIMEOUT_MS, producer.producerId(), (short) 1, nowMs).error())
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldMoveToANewProducerIdWhenTheEpochIsExhausted() {
        init();
        TransactionMetadata current = shard.metadata(TXN_ID).orElseThrow();
        TransactionMetadata exhausted = current.withBumpedEpoch((short) (Short.MAX_VALUE - 1), (short) -1, TIMEOUT_MS, nowMs);
        log.append(0, List.of(TransactionRecordSerde.serialize(exhausted)), nowMs);
        shard = newShard();

        InitProducerIdResult rotated = init();

        assertThat(rotated).isEqualTo(new InitProducerIdResult(Errors.NONE, 1001, (short) 0));
        assertThat(shard.metadata(TXN_ID).orElseThrow().lastProducerId()).isEqualTo(1000);
    }

    @Test
    void shouldChangeNothingWhenTheLogRefusesTheWrite() {
        InitProducerIdResult producer = init();
        log.failAppendsWith(Errors.NOT_ENOUGH_REPLICAS);

        assertThat(shard.handleAddPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), Set.of(OUT_0), nowMs))
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(init().error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);

        assertThat(state()).isEqualTo(TransactionState.EMPTY);
        assertThat(shard.metadata(TXN_ID).orElseThrow().producerEpoch()).isZero();
        log.succeedAppends();
        assertThat(init().producerEpoch()).isEqualTo((short) 1);
    }

    @Test
    void shouldExpireIdleTransactionalIdsWithATombstone() {
        InitProducerIdResult producer = init();
        shard.handleAddPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), Set.of(OUT_0), nowMs);
        shard.handleEndTxn(TXN_ID, producer.producerId(), producer.producerEpoch(), false, nowMs);
        writeAllMarkers();

        advance(3_600_000 + 60_000);

        assertThat(shard.metadata(TXN_ID)).isEmpty();
        assertThat(log.records(0).get(log.records(0).size() - 1).metadata()).isEmpty();
        assertThat(newShard().metadata(TXN_ID)).isEmpty();
    }

    @Test
    void shouldDescribeAndListTransactions() {
        InitProducerIdResult producer = init();
        shard.handleAddPartitions(TXN_ID, producer.producerId(), producer.producerEpoch(), Set.of(OUT_1, OUT_0), nowMs);
        shard.handleInitProducerId("idle", TIMEOUT_MS, -1, (short) -1, nowMs);
        advance(500);

        DescribeTransactionsResponseData.TransactionState described = shard.describe(TXN_ID);
        assertThat(described.transactionState()).isEqualTo("Ongoing");
        assertThat(described.transactionStartTimeMs()).isEqualTo(nowMs - 500);
        assertThat(described.topics().get(0).partitions()).containsExactly(0, 1);
        assertThat(shard.describe("nobody").errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());

        assertThat(shard.list(Set.of(), Set.of(), -1, nowMs)).hasSize(2);
        assertThat(shard.list(Set.of(), Set.of(TransactionState.ONGOING), -1, nowMs)).extracting(t -> t.transactionalId()).containsExactly(TXN_ID);
        assertThat(shard.list(Set.of(1001L), Set.of(), -1, nowMs)).extracting(t -> t.transactionalId()).containsExactly("idle");
        assertThat(shard.list(Set.of(), Set.of(), 1_000, nowMs)).isEmpty();
    }

    @Test
    void shouldRoundTripEveryFieldThroughTheRecordFormat() {
        TransactionMetadata metadata = new TransactionMetadata(TXN_ID, 7, 6, (short) 3, (short) 2, 1234, TransactionState.PREPARE_ABORT,
                Set.of(OUT_0, OUT_1, new TopicPartition("__consumer_offsets", 12)), 55, 66);
        TransactionRecordSerde.Decoded decoded = TransactionRecordSerde.deserialize(TransactionRecordSerde.serialize(metadata));
        assertThat(decoded.transactionalId()).isEqualTo(TXN_ID);
        assertThat(decoded.metadata()).contains(metadata);
        assertThat(TransactionRecordSerde.deserialize(TransactionRecordSerde.tombstone(TXN_ID)).metadata()).isEmpty();
    }
}
