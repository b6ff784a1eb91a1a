package io.fjord.coordinator.group;

import io.fjord.common.Uuid;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatResponseData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded simulation of KIP-848 members joining, heartbeating, leaving, going silent (fenced by the
 * session timeout) and of coordinator reloads. After every event: no partition is held (assigned or
 * pending revocation) by two members in the coordinator's state, the group epoch never goes back,
 * and no member is ahead of the target epoch. At the end, live members heartbeating settle on every
 * partition assigned exactly once, evenly. A failure names its seed.
 */
class ConsumerGroupSimulationTest {

    private static final String GROUP = "sim-group";
    private static final Uuid TOPIC_ID = new Uuid(9L, 9L);
    private static final int PARTITIONS = 12;
    private static final GroupRequestContext V1 = new GroupRequestContext("sim", "/127.0.0.1", (short) 1);

    private static final TopicMetadataView TOPICS = new TopicMetadataView() {
        private final TopicInfo info = new TopicInfo(TOPIC_ID, "events", PARTITIONS);

        @Override
        public Optional<TopicInfo> topic(String name) {
            return name.equals("events") ? Optional.of(info) : Optional.empty();
        }

        @Override
        public Optional<TopicInfo> topic(Uuid topicId) {
            return topicId.equals(TOPIC_ID) ? Optional.of(info) : Optional.empty();
        }
    };

    /** What a client believes: its epoch and what it owns. */
    private static final class Client {
        final String memberId;
        int epoch;
        Set<Integer> owned = new TreeSet<>();

        Client(String memberId) {
            this.memberId = memberId;
        }
    }

    @Test
    void shouldNeverHoldAPartitionTwiceAndSettleEvenlyFromAnySeed() {
        for (long seed = 1; seed <= 50; seed++) {
            try {
                simulate(seed);
            } catch (AssertionError e) {
                fail("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private void simulate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FakeCoordinatorLog log = new FakeCoordinatorLog();
        GroupCoordinatorConfig config = GroupCoordinatorConfig.builder().build();
        long[] nowMs = {1_000_000L};
        GroupCoordinatorShard[] shard = {load(config, log, random, nowMs[0])};
        List<Client> clients = new ArrayList<>();
        int nextId = 0;
        int lastGroupEpoch = 0;
        for (int step = 0; step < 300; step++) {
            int action = random.nextInt(100);
            if (action < 15 && clients.size() < 6) {
                Client client = new Client("m" + nextId++);
                clients.add(client);
                heartbeat(shard[0], client, true, nowMs[0]);
            } else if (action < 75 && !clients.isEmpty()) {
                heartbeat(shard[0], clients.get(random.nextInt(clients.size())), false, nowMs[0]);
            } else if (action < 82 && !clients.isEmpty()) {
                Client leaving = clients.remove(random.nextInt(clients.size()));
                shard[0].consumerGroupHeartbeat(V1, new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP)
                        .setMemberId(leaving.memberId).setMemberEpoch(-1), TOPICS, nowMs[0]);
            } else if (action < 97) {
                nowMs[0] += random.nextInt(12_000);
                shard[0].poll(nowMs[0]);
            } else {
                shard[0] = load(config, log, random, nowMs[0]);
            }
            ConsumerGroup group = shard[0].stateForTest().consumerGroup(GROUP);
            if (group != null) {
                assertTrue(group.groupEpoch() >= lastGroupEpoch, "group epoch went back");
                lastGroupEpoch = group.groupEpoch();
                assertHeldOnce(group);
            }
        }
        settle(shard[0], clients, nowMs[0]);
    }

    private static GroupCoordinatorShard load(GroupCoordinatorConfig config, FakeCoordinatorLog log, SplittableRandom random, long nowMs) {
        GroupCoordinatorShard shard = new GroupCoordinatorShard(0, config, log, random.split());
        shard.load(log, nowMs);
        return shard;
    }

    /** Sends one heartbeat as the Java client would: joins with epoch 0, reports what it owns, rejoins when fenced. */
    private static void heartbeat(GroupCoordinatorShard shard, Client client, boolean join, long nowMs) {
        ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP).setMemberId(client.memberId)
                .setMemberEpoch(join ? 0 : client.epoch);
        if (join) {
            request.setRebalanceTimeoutMs(60_000).setSubscribedTopicNames(List.of("events")).setTopicPartitions(new ArrayList<>());
        } else {
            request.setTopicPartitions(new ArrayList<>(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(TOPIC_ID).setPartitions(new ArrayList<>(client.owned)))));
        }
        ConsumerGroupHeartbeatResponseData response = shard.consumerGroupHeartbeat(V1, request, TOPICS, nowMs);
        if (response.errorCode() == Errors.UNKNOWN_MEMBER_ID.code() || response.errorCode() == Errors.FENCED_MEMBER_EPOCH.code()) {
            // The Java client drops its partitions and joins again with epoch 0.
            client.owned = new TreeSet<>();
            heartbeat(shard, client, true, nowMs);
            return;
        }
        assertEquals(Errors.NONE.code(), response.errorCode(), "heartbeat error " + response.errorMessage());
        assertTrue(response.memberEpoch() >= client.epoch || join, "member epoch went back");
        client.epoch = response.memberEpoch();
        if (response.assignment() != null) {
            Set<Integer> assigned = new TreeSet<>();
            response.assignment().topicPartitions().forEach(tp -> assigned.addAll(tp.partitions()));
            client.owned = assigned;
        }
    }

    private static void assertHeldOnce(ConsumerGroup group) {
        Set<String> held = new HashSet<>();
        for (ConsumerGroupMember member : group.members().values()) {
            assertTrue(member.memberEpoch() <= group.assignmentEpoch(), "member " + member.memberId() + " ahead of the target epoch");
            for (Map.Entry<Uuid, Integer> tp : member.held().entries()) {
                assertTrue(held.add(tp.getKey() + "-" + tp.getValue()), "partition " + tp.getValue() + " held twice");
            }
        }
    }

    private static void settle(GroupCoordinatorShard shard, List<Client> clients, long nowMs) {
        if (clients.isEmpty()) {
            return;
        }
        for (int round = 0; round < 12; round++) {
            for (Client client : clients) {
                heartbeat(shard, client, false, nowMs);
            }
        }
        Map<Integer, String> owners = new HashMap<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (Client client : clients) {
            for (int partition : client.owned) {
                String previous = owners.put(partition, client.memberId);
                assertTrue(previous == null, "partition " + partition + " owned by " + previous + " and " + client.memberId);
            }
            min = Math.min(min, client.owned.size());
            max = Math.max(max, client.owned.size());
        }
        assertEquals(PARTITIONS, owners.size(), "every partition owned after settling");
        assertTrue(max - min <= 1, "uneven: " + min + ".." + max);
        assertEquals("Stable", shard.describeConsumerGroup(GROUP, false, TOPICS).groupState());
    }
}
