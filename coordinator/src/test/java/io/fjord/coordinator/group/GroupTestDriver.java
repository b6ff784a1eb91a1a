package io.fjord.coordinator.group;

import io.fjord.protocol.message.ConsumerProtocolAssignmentData;
import io.fjord.protocol.message.ConsumerProtocolSubscriptionData;
import io.fjord.protocol.message.HeartbeatRequestData;
import io.fjord.protocol.message.HeartbeatResponseData;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.LeaveGroupRequestData;
import io.fjord.protocol.message.LeaveGroupResponseData;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import io.fjord.protocol.message.SyncGroupRequestData;
import io.fjord.protocol.message.SyncGroupResponseData;
import io.fjord.protocol.types.ByteBufferMessageWriter;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Drives one {@link GroupCoordinatorShard} with a fake clock ({@link #advance}) over a
 * {@link FakeCoordinatorLog}; builds requests the way a Java consumer does (protocol type
 * "consumer", real ConsumerProtocol subscription bytes).
 */
final class GroupTestDriver {

    static final String GROUP = "orders-group";
    static final int SESSION_TIMEOUT_MS = 10_000;
    static final int REBALANCE_TIMEOUT_MS = 30_000;
    static final int INITIAL_DELAY_MS = 3_000;

    final FakeCoordinatorLog log = new FakeCoordinatorLog();
    final GroupCoordinatorConfig config;
    final long seed;
    /** One source for every shard incarnation, as the coordinator has: member ids never repeat across reloads. */
    private final SplittableRandom random;
    GroupCoordinatorShard shard;
    long nowMs = 1_000_000L;

    GroupTestDriver(GroupCoordinatorConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.shard = new GroupCoordinatorShard(0, config, log, random.split());
        shard.load(log, nowMs);
    }

    GroupTestDriver() {
        this(GroupCoordinatorConfig.builder().groupInitialRebalanceDelayMs(INITIAL_DELAY_MS).build(), 42L);
    }

    void advance(long ms) {
        nowMs += ms;
        shard.poll(nowMs);
    }

    /** A fresh shard loaded from the same log: a coordinator restart or failover. */
    void reload() {
        shard.unload(nowMs);
        shard = new GroupCoordinatorShard(0, config, log, random.split());
        shard.load(log, nowMs);
    }

    static byte[] subscription(String... topics) {
        ConsumerProtocolSubscriptionData data = new ConsumerProtocolSubscriptionData().setTopics(List.of(topics));
        return withVersion(data.size((short) 1), (short) 1, data);
    }

    static byte[] assignment(String topic, Integer... partitions) {
        ConsumerProtocolAssignmentData data = new ConsumerProtocolAssignmentData();
        data.assignedPartitions().add(new ConsumerProtocolAssignmentData.TopicPartition().setTopic(topic).setPartitions(List.of(partitions)));
        return withVersion(data.size((short) 1), (short) 1, data);
    }

    private static byte[] withVersion(int size, short version, io.fjord.protocol.types.Message message) {
        ByteBufferMessageWriter writer = new ByteBufferMessageWriter(size + 2);
        writer.writeInt16(version);
        message.write(writer, version);
        ByteBuffer buffer = writer.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    JoinGroupRequestData joinRequest(String memberId, String instanceId, String... protocols) {
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(GROUP).setMemberId(memberId).setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(SESSION_TIMEOUT_MS).setRebalanceTimeoutMs(REBALANCE_TIMEOUT_MS).setProtocolType("consumer");
        for (String protocol : protocols.length == 0 ? new String[] {"range"} : protocols) {
            request.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(protocol).setMetadata(subscription("orders")));
        }
        return request;
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, int version) {
        return shard.joinGroup(new GroupRequestContext("client", "/127.0.0.1", (short) version), request, nowMs);
    }

    CompletableFuture<JoinGroupResponseData> join(String memberId) {
        return join(joinRequest(memberId, null), 9);
    }

    /** The v4+ two-step join of a new dynamic member: returns the parked second JoinGroup. */
    CompletableFuture<JoinGroupResponseData> joinNew() {
        JoinGroupResponseData first = join("").join();
        if (first.errorCode() != io.fjord.common.errors.Errors.MEMBER_ID_REQUIRED.code()) {
            throw new AssertionError("expected MEMBER_ID_REQUIRED, got " + first);
        }
        return join(first.memberId());
    }

    CompletableFuture<SyncGroupResponseData> sync(String memberId, int generationId, Map<String, byte[]> assignments) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(GROUP).setMemberId(memberId).setGenerationId(generationId)
                .setProtocolType("consumer").setProtocolName("range");
        assignments.forEach((member, bytes) -> request.assignments().add(
                new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member).setAssignment(bytes)));
        return shard.syncGroup(request, nowMs);
    }

    HeartbeatResponseData heartbeat(String memberId, int generationId) {
        return shard.heartbeat(new HeartbeatRequestData().setGroupId(GROUP).setMemberId(memberId).setGenerationId(generationId), nowMs);
    }

    LeaveGroupResponseData leave(String memberId) {
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(GROUP);
        request.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId));
        return shard.leaveGroup(request, nowMs);
    }

    OffsetCommitResponseData commit(String memberId, int generationId, String topic, int partition, long offset) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generationId);
        OffsetCommitRequestData.OffsetCommitRequestTopic requestTopic = new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic);
        requestTopic.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(partition)
                .setCommittedOffset(offset).setCommittedLeaderEpoch(3).setCommittedMetadata("m"));
        request.topics().add(requestTopic);
        return shard.commitOffsets(new GroupRequestContext("client", "/127.0.0.1", (short) 8), request, nowMs);
    }

    long committed(String topic, int partition) {
        return shard.fetchOffsets(GROUP, java.util.Optional.of(List.of(new GroupCoordinatorShard.TopicRequest(topic, List.of(partition)))))
                .topics().get(0).partitions().get(0).committedOffset();
    }

    GroupState state() {
        return shard.groupState(GROUP).orElse(GroupState.DEAD);
    }

    int generation() {
        return shard.generationId(GROUP).orElse(-1);
    }
}
