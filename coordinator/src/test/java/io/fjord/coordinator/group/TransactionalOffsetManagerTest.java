package io.fjord.coordinator.group;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import io.fjord.protocol.message.TxnOffsetCommitRequestData;
import io.fjord.protocol.message.TxnOffsetCommitResponseData;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.fjord.coordinator.group.GroupTestDriver.GROUP;
import static io.fjord.coordinator.group.GroupTestDriver.INITIAL_DELAY_MS;
import static io.fjord.coordinator.group.GroupTestDriver.assignment;
import static org.assertj.core.api.Assertions.assertThat;

/** TxnOffsetCommit, the transaction outcome and RequireStable on one shard, with a fake clock. */
class TransactionalOffsetManagerTest {

    private static final long PRODUCER_ID = 4000L;
    private final GroupTestDriver driver = new GroupTestDriver();

    private TxnOffsetCommitResponseData txnCommit(long producerId, int generationId, String memberId, long offset) {
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData().setTransactionalId("copier").setGroupId(GROUP)
                .setProducerId(producerId).setProducerEpoch((short) 0).setGenerationId(generationId).setMemberId(memberId);
        TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic = new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("orders");
        topic.partitions().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0)
                .setCommittedOffset(offset).setCommittedLeaderEpoch(1).setCommittedMetadata(""));
        request.topics().add(topic);
        return driver.shard.commitTransactionalOffsets(request, driver.nowMs);
    }

    private static short error(TxnOffsetCommitResponseData response) {
        return response.topics().get(0).partitions().get(0).errorCode();
    }

    private OffsetFetchResponsePartitions fetch(boolean requireStable) {
        return driver.shard.fetchOffsets(GROUP, Optional.of(List.of(new GroupCoordinatorShard.TopicRequest("orders", List.of(0)))), requireStable)
                .topics().get(0).partitions().get(0);
    }

    @Test
    void shouldKeepTransactionalOffsetsPendingUntilCommitAndAnswerUnstableToRequireStable() {
        assertThat(error(txnCommit(PRODUCER_ID, -1, "", 17))).isEqualTo(Errors.NONE.code());

        assertThat(fetch(false).committedOffset()).isEqualTo(-1);
        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());

        assertThat(driver.shard.completeTransaction(PRODUCER_ID, true, driver.nowMs)).isEqualTo(Errors.NONE);

        assertThat(fetch(true).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetch(true).committedOffset()).isEqualTo(17);
    }

    @Test
    void shouldDropTransactionalOffsetsOnAbortAndKeepTheCommittedOne() {
        driver.commit("", -1, "orders", 0, 5);
        txnCommit(PRODUCER_ID, -1, "", 17);

        assertThat(driver.shard.completeTransaction(PRODUCER_ID, false, driver.nowMs)).isEqualTo(Errors.NONE);

        assertThat(fetch(true).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fetch(true).committedOffset()).isEqualTo(5);
    }

    @Test
    void shouldReloadPendingOffsetsAndTheirOutcome() {
        txnCommit(PRODUCER_ID, -1, "", 17);
        txnCommit(PRODUCER_ID + 1, -1, "", 99);
        driver.shard.completeTransaction(PRODUCER_ID + 1, false, driver.nowMs);

        driver.reload();

        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
        driver.shard.completeTransaction(PRODUCER_ID, true, driver.nowMs);
        driver.reload();
        assertThat(fetch(true).committedOffset()).isEqualTo(17);
        assertThat(driver.log.records(0)).filteredOn(record -> record instanceof GroupRecord.PendingOffsetCommit pending
                && pending.value().isPresent()).hasSize(2);
    }

    @Test
    void shouldCheckMemberAndGenerationOfTransactionalCommitsFromGroupMembers() {
        CompletableFuture<JoinGroupResponseData> join = driver.joinNew();
        driver.advance(INITIAL_DELAY_MS);
        String memberId = join.join().memberId();
        driver.sync(memberId, 1, Map.of(memberId, assignment("orders", 0))).join();

        assertThat(error(txnCommit(PRODUCER_ID, 0, memberId, 1))).isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(error(txnCommit(PRODUCER_ID, 1, "stranger", 1))).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        // v0-2 carry no member fields: accepted from a group with members, as Kafka does.
        assertThat(error(txnCommit(PRODUCER_ID, -1, "", 1))).isEqualTo(Errors.NONE.code());
        assertThat(error(txnCommit(PRODUCER_ID, 1, memberId, 2))).isEqualTo(Errors.NONE.code());
    }

    @Test
    void shouldAnswerNoneWhenNothingIsPendingForTheProducer() {
        assertThat(driver.shard.completeTransaction(77L, true, driver.nowMs)).isEqualTo(Errors.NONE);
        assertThat(driver.log.records(0)).isEmpty();
    }
}
