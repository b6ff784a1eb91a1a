package io.fjord.coordinator.group;

import io.fjord.common.Uuid;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ConsumerGroupDescribeResponseData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.fjord.protocol.message.ListGroupsResponseData.ListedGroup;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KIP-848 consumer group protocol of one shard, driven with a fake clock over an in-memory log:
 * joins, target assignment, revoke-before-reassign reconciliation, epochs, fencing, leave, reload,
 * offset commit epoch checks, describe and list.
 */
class ConsumerGroupProtocolTest {

    private static final String GROUP = "kip848-group";
    private static final Uuid ORDERS_ID = new Uuid(1L, 2L);
    private static final Uuid PAYMENTS_ID = new Uuid(3L, 4L);
    private static final GroupRequestContext V1 = new GroupRequestContext("client", "/127.0.0.1", (short) 1);

    private final FakeCoordinatorLog log = new FakeCoordinatorLog();
    private final GroupCoordinatorConfig config = GroupCoordinatorConfig.builder().build();
    private final SplittableRandom random = new SplittableRandom(7L);
    private final Map<String, TopicMetadataView.TopicInfo> topicsByName = new HashMap<>(Map.of(
            "orders", new TopicMetadataView.TopicInfo(ORDERS_ID, "orders", 6),
            "payments", new TopicMetadataView.TopicInfo(PAYMENTS_ID, "payments", 3)));
    private final TopicMetadataView topics = new TopicMetadataView() {
        @Override
        public Optional<TopicInfo> topic(String name) {
            return Optional.ofNullable(topicsByName.get(name));
        }

        @Override
        public Optional<TopicInfo> topic(Uuid topicId) {
            return topicsByName.values().stream().filter(t -> t.topicId().equals(topicId)).findFirst();
        }

        @Override
        public java.util.Collection<String> allTopicNames() {
            return List.copyOf(topicsByName.keySet());
        }
    };
    private long nowMs = 1_000_000L;
    private GroupCoordinatorShard shard = newShard();

    private GroupCoordinatorShard newShard() {
        GroupCoordinatorShard loaded = new GroupCoordinatorShard(0, config, log, random.split());
        loaded.load(log, nowMs);
        return loaded;
    }

    /** A member as the Java consumer drives it: remembers its epoch and what it owns. */
    private final class Member {
        final String memberId;
        int epoch;
        Map<Uuid, TreeSet<Integer>> owned = new HashMap<>();

        Member(String memberId) {
            this.memberId = memberId;
        }

        ConsumerGroupHeartbeatResponseData join(String assignor, String... topicNames) {
            ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId)
                    .setMemberEpoch(0).setRebalanceTimeoutMs(300_000).setSubscribedTopicNames(List.of(topicNames))
                    .setServerAssignor(assignor).setTopicPartitions(new ArrayList<>());
            return apply(send(request));
        }

        /** A heartbeat reporting what the member owns, as the client does after a change. */
        ConsumerGroupHeartbeatResponseData heartbeat() {
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> ownedTopics = new ArrayList<>();
            owned.forEach((id, set) -> ownedTopics.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(id)
                    .setPartitions(new ArrayList<>(set))));
            return apply(send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(epoch)
                    .setTopicPartitions(ownedTopics)));
        }

        ConsumerGroupHeartbeatResponseData leave() {
            return send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(-1));
        }

        private ConsumerGroupHeartbeatResponseData apply(ConsumerGroupHeartbeatResponseData response) {
            if (response.errorCode() == Errors.NONE.code()) {
                epoch = response.memberEpoch();
                if (response.assignment() != null) {
                    owned = new HashMap<>();
                    response.assignment().topicPartitions().forEach(tp -> owned.put(tp.topicId(), new TreeSet<>(tp.partitions())));
                }
            }
            return response;
        }

        int ownedCount() {
            return owned.values().stream().mapToInt(Set::size).sum();
        }
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        return shard.consumerGroupHeartbeat(V1, request, topics, nowMs);
    }

    private void advance(long ms) {
        nowMs += ms;
        shard.poll(nowMs);
    }

    /** Heartbeats every member until nobody's assignment or epoch changes; asserts no partition is ever owned twice. */
    private void settle(Member... members) {
        for (int round = 0; round < 10; round++) {
            for (Member member : members) {
                member.heartbeat();
                assertNoPartitionOwnedTwice(members);
            }
        }
    }

    private static void assertNoPartitionOwnedTwice(Member... members) {
        Set<String> seen = new java.util.HashSet<>();
        for (Member member : members) {
            member.owned.forEach((id, set) -> set.forEach(p -> assertTrue(seen.add(id + "-" + p),
                    "partition " + id + "-" + p + " owned twice")));
        }
    }

    @Test
    void shouldGiveEachOfThreeMembersTwoOfSixPartitions() {
        Member a = new Member("a");
        Member b = new Member("b");
        Member c = new Member("c");
        ConsumerGroupHeartbeatResponseData joined = a.join(null, "orders");
        assertEquals(Errors.NONE.code(), joined.errorCode());
        assertEquals(5_000, joined.heartbeatIntervalMs());
        assertEquals(6, a.ownedCount());
        b.join(null, "orders");
        c.join(null, "orders");
        settle(a, b, c);
        assertEquals(2, a.ownedCount());
        assertEquals(2, b.ownedCount());
        assertEquals(2, c.ownedCount());
        assertEquals("Stable", describe().groupState());
    }

    @Test
    void shouldGiveAPartitionToItsNewOwnerOnlyAfterThePreviousOwnerRevokedIt() {
        Member a = new Member("a");
        Member b = new Member("b");
        a.join(null, "orders");
        int firstEpoch = a.epoch;
        ConsumerGroupHeartbeatResponseData bJoined = b.join(null, "orders");
        assertEquals(0, b.ownedCount(), "b must wait: a still owns every partition");
        assertTrue(bJoined.memberEpoch() > firstEpoch);

        ConsumerGroupHeartbeatResponseData revoke = a.heartbeat();
        assertEquals(firstEpoch, revoke.memberEpoch(), "revocation happens at the old epoch");
        assertEquals(3, a.ownedCount());
        b.heartbeat();
        assertEquals(0, b.ownedCount(), "still held until a reports them gone");

        ConsumerGroupHeartbeatResponseData revoked = a.heartbeat();
        assertEquals(bJoined.memberEpoch(), revoked.memberEpoch(), "a moves to the new epoch once it has revoked");
        b.heartbeat();
        assertEquals(3, b.ownedCount());
        assertNoPartitionOwnedTwice(a, b);
    }

    @Test
    void shouldFenceAMemberWhoseSessionTimedOut() {
        Member a = new Member("a");
        Member b = new Member("b");
        a.join(null, "orders");
        b.join(null, "orders");
        settle(a, b);
        for (int i = 0; i < 9; i++) {
            advance(5_000);
            a.heartbeat();
        }
        advance(1);
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), b.heartbeat().errorCode());
        settle(a);
        assertEquals(6, a.ownedCount());
    }

    @Test
    void shouldFenceAMemberThatDoesNotRevokeWithinTheRebalanceTimeout() {
        Member a = new Member("a");
        a.join(null, "orders");
        Member b = new Member("b");
        b.join(null, "orders");
        a.heartbeat();
        // a keeps heartbeating but keeps reporting all six partitions: it never finishes revoking.
        int staleEpoch = a.epoch;
        for (int i = 0; i < 61; i++) {
            advance(5_000);
            b.heartbeat();
            send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId("a").setMemberEpoch(staleEpoch)
                    .setTopicPartitions(new ArrayList<>(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                            .setTopicId(ORDERS_ID).setPartitions(new ArrayList<>(List.of(0, 1, 2, 3, 4, 5)))))));
        }
        assertFalse(shard.stateForTest().consumerGroup(GROUP).member("a").isPresent());
        assertEquals(6, b.ownedCount());
    }

    @Test
    void shouldAnswerFencedMemberEpochForAnEpochTheCoordinatorNeverGave() {
        Member a = new Member("a");
        a.join(null, "orders");
        a.epoch += 5;
        assertEquals(Errors.FENCED_MEMBER_EPOCH.code(), a.heartbeat().errorCode());
    }

    @Test
    void shouldRejectAnUnknownServerAssignor() {
        assertEquals(Errors.UNSUPPORTED_ASSIGNOR.code(), new Member("a").join("sticky", "orders").errorCode());
    }

    @Test
    void shouldRejectAnInvalidRegexSubscriptionClearly() {
        ConsumerGroupHeartbeatResponseData response = send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId("a")
                .setMemberEpoch(0).setRebalanceTimeoutMs(1000).setSubscribedTopicRegex("ord[").setTopicPartitions(new ArrayList<>()));
        assertEquals(Errors.INVALID_REQUEST.code(), response.errorCode());
        assertTrue(response.errorMessage().contains("SubscribedTopicRegex"));
    }

    @Test
    void shouldAssignEveryPartitionOfTheTopicsARegexMatchesAndPickUpNewOnes() {
        ConsumerGroupHeartbeatResponseData joined = send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId("a")
                .setMemberEpoch(0).setRebalanceTimeoutMs(1000).setSubscribedTopicRegex("ord.*").setTopicPartitions(new ArrayList<>()));
        assertEquals(Errors.NONE.code(), joined.errorCode());
        assertEquals(6, joined.assignment().topicPartitions().stream().mapToInt(t -> t.partitions().size()).sum());
        assertTrue(joined.assignment().topicPartitions().stream().allMatch(t -> t.topicId().equals(ORDERS_ID)));

        Uuid ordersEuId = new Uuid(42L, 42L);
        topicsByName.put("orders-eu", new TopicMetadataView.TopicInfo(ordersEuId, "orders-eu", 2));
        ConsumerGroupHeartbeatRequestData next = new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId("a")
                .setMemberEpoch(joined.memberEpoch()).setTopicPartitions(new ArrayList<>());
        for (ConsumerGroupHeartbeatResponseData.TopicPartitions owned : joined.assignment().topicPartitions()) {
            next.topicPartitions().add(new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(owned.topicId())
                    .setPartitions(new ArrayList<>(owned.partitions())));
        }
        ConsumerGroupHeartbeatResponseData grown = send(next);
        assertEquals(Errors.NONE.code(), grown.errorCode());
        assertTrue(grown.memberEpoch() > joined.memberEpoch());
        assertEquals(8, grown.assignment().topicPartitions().stream().mapToInt(t -> t.partitions().size()).sum());
    }

    @Test
    void shouldFreeTheLeavingMembersPartitions() {
        Member a = new Member("a");
        Member b = new Member("b");
        a.join(null, "orders");
        b.join(null, "orders");
        settle(a, b);
        ConsumerGroupHeartbeatResponseData left = b.leave();
        assertEquals(-1, left.memberEpoch());
        settle(a);
        assertEquals(6, a.ownedCount());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), b.heartbeat().errorCode());
    }

    @Test
    void shouldUseTheRangeAssignorWhenMembersAskForIt() {
        Member a = new Member("a");
        Member b = new Member("b");
        a.join("range", "orders", "payments");
        b.join("range", "orders", "payments");
        settle(a, b);
        assertEquals(Set.of(0, 1, 2), a.owned.get(ORDERS_ID));
        assertEquals(Set.of(0, 1), a.owned.get(PAYMENTS_ID));
        assertEquals(Set.of(3, 4, 5), b.owned.get(ORDERS_ID));
        assertEquals(Set.of(2), b.owned.get(PAYMENTS_ID));
        assertEquals("range", describe().assignorName());
    }

    @Test
    void shouldKeepEpochsAndAssignmentsAcrossACoordinatorReload() {
        Member a = new Member("a");
        Member b = new Member("b");
        a.join(null, "orders");
        b.join(null, "orders");
        settle(a, b);
        int groupEpoch = describe().groupEpoch();
        shard = newShard();
        assertEquals(groupEpoch, describe().groupEpoch());
        assertEquals(Errors.NONE.code(), a.heartbeat().errorCode());
        assertEquals(Errors.NONE.code(), b.heartbeat().errorCode());
        settle(a, b);
        assertEquals(3, a.ownedCount());
        assertEquals(3, b.ownedCount());
        assertNoPartitionOwnedTwice(a, b);
    }

    @Test
    void shouldAnswerStaleMemberEpochToACommitWithAnOldEpoch() {
        Member a = new Member("a");
        a.join(null, "orders");
        assertEquals(Errors.STALE_MEMBER_EPOCH.code(), commit("a", a.epoch - 1, (short) 9));
        assertEquals(Errors.NONE.code(), commit("a", a.epoch, (short) 9));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), commit("nobody", a.epoch, (short) 9));
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), commit("a", a.epoch, (short) 8));
        assertEquals(5L, shard.fetchOffsets(GROUP, Optional.of("a"), a.epoch, Optional.empty(), false)
                .topics().get(0).partitions().get(0).committedOffset());
        assertEquals(Errors.STALE_MEMBER_EPOCH.code(), shard.fetchOffsets(GROUP, Optional.of("a"), a.epoch + 1, Optional.empty(), false).errorCode());
        a.leave();
        assertEquals(Errors.NONE.code(), commit("", -1, (short) 9), "an empty group takes commits from outside");
    }

    @Test
    void shouldListConsumerGroupsUnderTheConsumerTypeOnly() {
        new Member("a").join(null, "orders");
        List<ListedGroup> consumer = shard.listGroups(Set.of(), Set.of("Consumer"));
        assertEquals(1, consumer.size());
        assertEquals("consumer", consumer.get(0).groupType());
        assertTrue(shard.listGroups(Set.of(), Set.of("classic")).isEmpty());
        assertEquals("Dead", shard.describeGroup(GROUP, false).groupState(), "DescribeGroups v0-5 describes a consumer group as Dead");
    }

    @Test
    void shouldDescribeMembersWithAssignmentAndTarget() {
        Member a = new Member("a");
        a.join(null, "orders");
        ConsumerGroupDescribeResponseData.DescribedGroup described = describe();
        assertEquals(1, described.members().size());
        ConsumerGroupDescribeResponseData.Member member = described.members().get(0);
        assertEquals("orders", member.assignment().topicPartitions().get(0).topicName());
        assertEquals(6, member.targetAssignment().topicPartitions().get(0).partitions().size());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), shard.describeConsumerGroup("nope", false, topics).errorCode());
    }

    @Test
    void shouldBumpTheGroupEpochWhenASubscribedTopicGrows() {
        Member a = new Member("a");
        a.join(null, "orders");
        int before = describe().groupEpoch();
        topicsByName.put("orders", new TopicMetadataView.TopicInfo(ORDERS_ID, "orders", 8));
        a.heartbeat();
        assertTrue(describe().groupEpoch() > before);
        assertEquals(8, a.ownedCount());
    }

    @Test
    void shouldRefuseClassicJoinsWhileTheConsumerGroupHasMembersAndConvertItOnceEmpty() {
        Member a = new Member("a");
        a.join(null, "orders");
        io.fjord.protocol.message.JoinGroupRequestData join = new io.fjord.protocol.message.JoinGroupRequestData().setGroupId(GROUP)
                .setMemberId("").setProtocolType("consumer").setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000);
        join.protocols().add(new io.fjord.protocol.message.JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(GroupTestDriver.subscription("orders")));
        GroupRequestContext v9 = new GroupRequestContext("c", "/h", (short) 9);
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), shard.joinGroup(v9, join, nowMs).join().errorCode());
        a.leave();
        shard.joinGroup(v9, join, nowMs);
        assertNull(shard.stateForTest().consumerGroup(GROUP), "the empty consumer group became a classic group");
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), shard.describeConsumerGroup(GROUP, false, topics).errorCode());
    }

    private ConsumerGroupDescribeResponseData.DescribedGroup describe() {
        ConsumerGroupDescribeResponseData.DescribedGroup described = shard.describeConsumerGroup(GROUP, false, topics);
        assertNotNull(described);
        assertEquals(Errors.NONE.code(), described.errorCode());
        return described;
    }

    private short commit(String memberId, int epoch, short version) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders").setPartitions(new ArrayList<>(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5L)))));
        OffsetCommitResponseData response = shard.commitOffsets(new GroupRequestContext("c", "/h", version), request, nowMs);
        return response.topics().get(0).partitions().get(0).errorCode();
    }
}
