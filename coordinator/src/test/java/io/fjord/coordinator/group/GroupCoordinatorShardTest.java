package io.fjord.coordinator.group;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.DeleteGroupsResponseData.DeletableGroupResult;
import io.fjord.protocol.message.HeartbeatRequestData;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.SyncGroupRequestData;
import io.fjord.protocol.message.SyncGroupResponseData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.fjord.coordinator.group.GroupTestDriver.GROUP;
import static io.fjord.coordinator.group.GroupTestDriver.INITIAL_DELAY_MS;
import static io.fjord.coordinator.group.GroupTestDriver.SESSION_TIMEOUT_MS;
import static io.fjord.coordinator.group.GroupTestDriver.assignment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic group state machine and offsets of one shard, driven with a fake clock. Every
 * parked answer is awaited with {@code join()}; the timeout turns a never-completed one into a failure.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GroupCoordinatorShardTest {

    private final GroupTestDriver driver = new GroupTestDriver();

    /** Forms a stable one-member group and returns the member id (generation 1). */
    private String stableGroupOfOne() {
        CompletableFuture<JoinGroupResponseData> join = driver.joinNew();
        driver.advance(INITIAL_DELAY_MS);
        String memberId = join.join().memberId();
        SyncGroupResponseData sync = driver.sync(memberId, 1, Map.of(memberId, assignment("orders", 0, 1))).join();
        assertThat(sync.errorCode()).isEqualTo(Errors.NONE.code());
        return memberId;
    }

    /** Forms a stable two-member group (generation 2) and returns {leader, follower}. */
    private String[] stableGroupOfTwo() {
        String leader = stableGroupOfOne();
        CompletableFuture<JoinGroupResponseData> followerJoin = driver.joinNew();
        assertThat(driver.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        CompletableFuture<JoinGroupResponseData> leaderJoin = driver.join(leader);
        String follower = followerJoin.join().memberId();
        assertThat(leaderJoin.join().generationId()).isEqualTo(2);
        CompletableFuture<SyncGroupResponseData> followerSync = driver.sync(follower, 2, Map.of());
        assertThat(followerSync).isNotDone();
        driver.sync(leader, 2, Map.of(leader, assignment("orders", 0), follower, assignment("orders", 1))).join();
        assertThat(followerSync.join().assignment()).isEqualTo(assignment("orders", 1));
        return new String[] {leader, follower};
    }

    @Test
    void shouldRequireMemberIdThenFormFirstGenerationAfterInitialDelay() {
        JoinGroupResponseData first = driver.join("").join();
        assertThat(first.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
        assertThat(first.memberId()).startsWith("client-");

        CompletableFuture<JoinGroupResponseData> second = driver.join(first.memberId());
        driver.advance(INITIAL_DELAY_MS - 1);
        assertThat(second).isNotDone();
        assertThat(driver.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        driver.advance(1);

        JoinGroupResponseData joined = second.join();
        assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(first.memberId());
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members()).hasSize(1);
        assertThat(driver.state()).isEqualTo(GroupState.COMPLETING_REBALANCE);

        SyncGroupResponseData sync = driver.sync(first.memberId(), 1, Map.of(first.memberId(), assignment("orders", 0))).join();
        assertThat(sync.assignment()).isEqualTo(assignment("orders", 0));
        assertThat(driver.state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void shouldExtendTheInitialDelayWhileMembersKeepJoining() {
        CompletableFuture<JoinGroupResponseData> a = driver.joinNew();
        driver.advance(2_000);
        CompletableFuture<JoinGroupResponseData> b = driver.joinNew();
        driver.advance(1_000);
        assertThat(a).isNotDone();
        driver.advance(INITIAL_DELAY_MS);
        assertThat(a.join().generationId()).isEqualTo(1);
        assertThat(b.join().generationId()).isEqualTo(1);
        assertThat(a.join().members().size() + b.join().members().size()).isEqualTo(2);
    }

    @Test
    void shouldRebalanceWhenSecondMemberJoinsAndGiveOnlyTheLeaderTheMembers() {
        String leader = stableGroupOfOne();
        CompletableFuture<JoinGroupResponseData> followerJoin = driver.joinNew();
        assertThat(driver.heartbeat(leader, 1).errorCode()).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code());
        JoinGroupResponseData leaderJoin = driver.join(leader).join();
        assertThat(leaderJoin.members()).hasSize(2);
        assertThat(followerJoin.join().members()).isEmpty();
        assertThat(followerJoin.join().leader()).isEqualTo(leader);
        assertThat(driver.generation()).isEqualTo(2);
    }

    @Test
    void shouldRemoveMemberWhoseSessionExpiresAndRebalanceTheRest() {
        String[] members = stableGroupOfTwo();
        driver.advance(SESSION_TIMEOUT_MS / 2);
        assertThat(driver.heartbeat(members[0], 2).errorCode()).isEqualTo(Errors.NONE.code());
        driver.advance(SESSION_TIMEOUT_MS / 2);
        assertThat(driver.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(driver.heartbeat(members[1], 2).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(driver.heartbeat(members[0], 2).errorCode()).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code());
        JoinGroupResponseData rejoin = driver.join(members[0]).join();
        assertThat(rejoin.generationId()).isEqualTo(3);
        assertThat(rejoin.members()).hasSize(1);
    }

    @Test
    void shouldRemoveMembersThatDoNotRejoinWithinTheRebalanceTimeout() {
        String[] members = stableGroupOfTwo();
        CompletableFuture<JoinGroupResponseData> leaderJoin = driver.join(members[0]);
        for (int i = 0; i < 3; i++) {
            driver.advance(GroupTestDriver.REBALANCE_TIMEOUT_MS / 3);
            driver.heartbeat(members[1], 2);
        }
        assertThat(leaderJoin.join().generationId()).isEqualTo(3);
        assertThat(leaderJoin.join().members()).hasSize(1);
        assertThat(driver.heartbeat(members[1], 2).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void shouldRebalanceOnLeaveAndBecomeEmptyWhenTheLastMemberLeaves() {
        String[] members = stableGroupOfTwo();
        assertThat(driver.leave(members[1]).members().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(driver.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(driver.join(members[0]).join().generationId()).isEqualTo(3);
        driver.sync(members[0], 3, Map.of(members[0], assignment("orders", 0, 1))).join();
        driver.leave(members[0]);
        assertThat(driver.state()).isEqualTo(GroupState.EMPTY);
        assertThat(driver.generation()).isEqualTo(4);
        GroupRecord last = driver.log.records(0).getLast();
        assertThat(last).isInstanceOfSatisfying(GroupRecord.GroupMetadata.class, metadata -> {
            assertThat(metadata.value().orElseThrow().generationId()).isEqualTo(4);
            assertThat(metadata.value().orElseThrow().members()).isEmpty();
        });
        assertThat(driver.leave(members[0]).members().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void shouldReloadStableGroupAndOffsetsFromTheLogAndKeepGenerationsMovingForward() {
        String[] members = stableGroupOfTwo();
        assertThat(driver.commit(members[0], 2, "orders", 0, 42).topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());

        driver.reload();

        assertThat(driver.state()).isEqualTo(GroupState.STABLE);
        assertThat(driver.generation()).isEqualTo(2);
        assertThat(driver.committed("orders", 0)).isEqualTo(42);
        assertThat(driver.sync(members[1], 2, Map.of()).join().assignment()).isEqualTo(assignment("orders", 1));
        driver.advance(SESSION_TIMEOUT_MS / 2);
        assertThat(driver.heartbeat(members[0], 2).errorCode()).isEqualTo(Errors.NONE.code());
        driver.advance(SESSION_TIMEOUT_MS / 2);
        assertThat(driver.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(driver.join(members[0]).join().generationId()).isEqualTo(3);
    }

    @Test
    void shouldLetStaticMemberRejoinWithoutRebalanceAndFenceItsOldId() {
        JoinGroupRequestData request = driver.joinRequest("", "instance-a");
        CompletableFuture<JoinGroupResponseData> join = driver.join(request, 9);
        driver.advance(INITIAL_DELAY_MS);
        String oldId = join.join().memberId();
        assertThat(oldId).startsWith("instance-a-");
        driver.sync(oldId, 1, Map.of(oldId, assignment("orders", 0))).join();

        JoinGroupResponseData rejoined = driver.join(driver.joinRequest("", "instance-a"), 9).join();
        assertThat(rejoined.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(rejoined.generationId()).isEqualTo(1);
        assertThat(rejoined.skipAssignment()).isTrue();
        assertThat(driver.state()).isEqualTo(GroupState.STABLE);
        HeartbeatRequestData oldHeartbeat = new HeartbeatRequestData().setGroupId(GROUP).setMemberId(oldId)
                .setGroupInstanceId("instance-a").setGenerationId(1);
        assertThat(driver.shard.heartbeat(oldHeartbeat, driver.nowMs).errorCode()).isEqualTo(Errors.FENCED_INSTANCE_ID.code());
        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(GROUP).setMemberId(rejoined.memberId())
                .setGroupInstanceId("instance-a").setGenerationId(1);
        assertThat(driver.shard.syncGroup(sync, driver.nowMs).join().assignment()).isEqualTo(assignment("orders", 0));
    }

    @Test
    void shouldAcceptCommitsFromGroupsWithoutMembersAndRejectStaleGenerations() {
        assertThat(driver.commit("", -1, "orders", 3, 7).topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(driver.committed("orders", 3)).isEqualTo(7);
        assertThat(driver.state()).isEqualTo(GroupState.EMPTY);

        String[] members = stableGroupOfTwo();
        assertThat(driver.commit(members[0], 1, "orders", 0, 1).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.ILLEGAL_GENERATION.code());
        assertThat(driver.commit("stranger", 2, "orders", 0, 1).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(driver.commit("", -1, "orders", 0, 1).topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(driver.committed("orders", 0)).isEqualTo(-1);
    }

    @Test
    void shouldExpireOffsetsOfAnEmptyGroupAfterTheRetention() {
        GroupTestDriver short_ = new GroupTestDriver(GroupCoordinatorConfig.builder().offsetsRetentionMs(3_600_000L)
                .offsetsRetentionCheckIntervalMs(60_000L).build(), 7L);
        short_.commit("", -1, "orders", 0, 5);
        short_.advance(59 * 60_000L);
        assertThat(short_.committed("orders", 0)).isEqualTo(5);
        short_.advance(2 * 60_000L);
        assertThat(short_.committed("orders", 0)).isEqualTo(-1);
        assertThat(short_.shard.groupState(GROUP)).isEmpty();
    }

    @Test
    void shouldRejectMembersBeyondGroupMaxSize() {
        GroupTestDriver small = new GroupTestDriver(GroupCoordinatorConfig.builder().groupMaxSize(1).groupInitialRebalanceDelayMs(0).build(), 9L);
        CompletableFuture<JoinGroupResponseData> first = small.joinNew();
        small.advance(0);
        assertThat(first.join().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(small.join("").join().errorCode()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
    }

    @Test
    void shouldRejectOversizedOrMalformedMemberMetadataWithoutStoringIt() {
        GroupTestDriver bounded = new GroupTestDriver(GroupCoordinatorConfig.builder().memberMetadataMaxBytes(64).build(), 11L);
        JoinGroupRequestData oversized = bounded.joinRequest("", null);
        oversized.protocols().get(0).setMetadata(new byte[65]);
        assertThat(bounded.join(oversized, 9).join().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        JoinGroupRequestData malformed = bounded.joinRequest("", null);
        malformed.protocols().get(0).setMetadata(new byte[] {1, 2, 3});
        assertThat(bounded.join(malformed, 9).join().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(bounded.shard.groupState(GROUP)).isEmpty();
        assertThat(bounded.log.records(0)).isEmpty();
    }

    @Test
    void shouldRejectSessionTimeoutsOutsideTheBrokerBounds() {
        JoinGroupRequestData request = driver.joinRequest("", null).setSessionTimeoutMs(1_000);
        assertThat(driver.join(request, 9).join().errorCode()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());
    }

    @Test
    void shouldAnswerInconsistentProtocolWhenSyncNamesAnotherProtocol() {
        String member = stableGroupOfOne();
        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(GROUP).setMemberId(member).setGenerationId(1)
                .setProtocolType("consumer").setProtocolName("roundrobin");
        assertThat(driver.shard.syncGroup(sync, driver.nowMs).join().errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
    }

    @Test
    void shouldSelectTheProtocolMostMembersPrefer() {
        CompletableFuture<JoinGroupResponseData> a = driver.join(driver.joinRequest("", null, "cooperative-sticky", "range"), 3);
        CompletableFuture<JoinGroupResponseData> b = driver.join(driver.joinRequest("", null, "range", "cooperative-sticky"), 3);
        CompletableFuture<JoinGroupResponseData> c = driver.join(driver.joinRequest("", null, "cooperative-sticky", "range"), 3);
        driver.advance(2 * INITIAL_DELAY_MS);
        assertThat(List.of(a.join().protocolName(), b.join().protocolName(), c.join().protocolName())).containsOnly("cooperative-sticky");
    }

    @Test
    void shouldDeleteOnlyEmptyGroupsWithTheirOffsets() {
        String member = stableGroupOfOne();
        driver.commit(member, 1, "orders", 0, 9);
        assertThat(driver.shard.deleteGroup(GROUP, driver.nowMs).errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code());
        assertThat(driver.shard.deleteGroup("unknown", driver.nowMs).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        driver.leave(member);
        DeletableGroupResult deleted = driver.shard.deleteGroup(GROUP, driver.nowMs);
        assertThat(deleted.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(driver.committed("orders", 0)).isEqualTo(-1);
        driver.reload();
        assertThat(driver.shard.groupState(GROUP)).isEmpty();
        assertThat(driver.shard.listGroups(Set.of(), Set.of())).isEmpty();
    }

    @Test
    void shouldListGroupsWithStateAndTypeFilters() {
        stableGroupOfOne();
        assertThat(driver.shard.listGroups(Set.of("stable"), Set.of())).hasSize(1);
        assertThat(driver.shard.listGroups(Set.of("Empty"), Set.of())).isEmpty();
        assertThat(driver.shard.listGroups(Set.of(), Set.of("Classic"))).hasSize(1);
        assertThat(driver.shard.listGroups(Set.of(), Set.of("consumer"))).isEmpty();
    }

    @Test
    void shouldAnswerParkedRequestsWhenTheAssignmentCannotBeStored() {
        String leader = stableGroupOfOne();
        CompletableFuture<JoinGroupResponseData> followerJoin = driver.joinNew();
        driver.join(leader).join();
        CompletableFuture<SyncGroupResponseData> followerSync = driver.sync(followerJoin.join().memberId(), 2, Map.of());
        driver.log.failAppendsWith(Errors.KAFKA_STORAGE_ERROR);
        SyncGroupResponseData leaderSync = driver.sync(leader, 2, Map.of()).join();
        assertThat(leaderSync.errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(followerSync.join().errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(driver.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    }
}
