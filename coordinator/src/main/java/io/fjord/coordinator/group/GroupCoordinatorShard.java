package io.fjord.coordinator.group;

import io.fjord.common.Invariants;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ConsumerGroupDescribeResponseData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.fjord.protocol.message.ConsumerGroupHeartbeatResponseData;
import io.fjord.protocol.message.DeleteGroupsResponseData.DeletableGroupResult;
import io.fjord.protocol.message.DescribeGroupsResponseData.DescribedGroup;
import io.fjord.protocol.message.DescribeGroupsResponseData.DescribedGroupMember;
import io.fjord.protocol.message.HeartbeatRequestData;
import io.fjord.protocol.message.HeartbeatResponseData;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.LeaveGroupRequestData;
import io.fjord.protocol.message.LeaveGroupResponseData;
import io.fjord.protocol.message.ListGroupsResponseData.ListedGroup;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import io.fjord.protocol.message.OffsetDeleteRequestData;
import io.fjord.protocol.message.OffsetDeleteResponseData;
import io.fjord.protocol.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import io.fjord.protocol.message.SyncGroupRequestData;
import io.fjord.protocol.message.SyncGroupResponseData;
import io.fjord.protocol.message.TxnOffsetCommitRequestData;
import io.fjord.protocol.message.TxnOffsetCommitResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The group coordinator for the groups of one {@code __consumer_offsets} partition: a
 * deterministic state machine driven by requests and by {@link #poll(long)}, with time passed in
 * and member ids drawn from the given random source, so a test drives it with a fake clock and a
 * seed. Persists through {@link CoordinatorLog}; {@link #load} rebuilds it from that log.
 *
 * <p>Lifecycle: created when its partition is loaded, {@link #load} replays the partition, then
 * requests and polls; {@link #unload} answers every parked request with NOT_COORDINATOR.
 * Not thread-safe: the {@link GroupCoordinator} runs every call on its one event-loop thread.
 */
public final class GroupCoordinatorShard {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorShard.class);
    /** Every group operation (AclOperation READ, DELETE, DESCRIBE) when no authorizer is configured. */
    static final int ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);
    static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;
    static final String CLASSIC_GROUP_TYPE = "classic";
    static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final GroupShardState state;
    private final GroupCoordinatorConfig config;
    private final ClassicGroupManager classicGroups;
    private final ConsumerGroupManager consumerGroups;
    private final OffsetManager offsets;
    private final TransactionalOffsetManager transactionalOffsets;
    private long nextOffsetExpiryMs;

    public GroupCoordinatorShard(int partition, GroupCoordinatorConfig config, CoordinatorLog log, RandomGenerator random) {
        this.state = new GroupShardState(partition, log);
        this.config = config;
        this.classicGroups = new ClassicGroupManager(state, config, random);
        this.consumerGroups = new ConsumerGroupManager(state, config, random);
        this.offsets = new OffsetManager(state, config);
        this.transactionalOffsets = new TransactionalOffsetManager(state, config);
    }

    public int partition() {
        return state.partition();
    }

    /** Replays the partition and arms every loaded member's session timeout from {@code nowMs}. */
    public void load(CoordinatorLog log, long nowMs) {
        int[] count = {0};
        log.replay(state.partition(), entry -> {
            replay(GroupRecordSerde.deserialize(entry), nowMs);
            count[0]++;
        });
        for (ClassicGroup group : state.groups()) {
            classicGroups.onLoaded(group, nowMs);
        }
        for (ConsumerGroup group : state.consumerGroups()) {
            consumerGroups.onLoaded(group, nowMs);
        }
        nextOffsetExpiryMs = nowMs + config.offsetsRetentionCheckIntervalMs();
        LOG.info("Loaded __consumer_offsets-{}: {} records, {} groups", state.partition(), count[0], state.groups().size());
    }

    private void replay(GroupRecord record, long nowMs) {
        switch (record) {
            case GroupRecord.OffsetCommit commit -> {
                if (commit.value().isPresent()) {
                    state.getOrCreate(commit.groupId(), nowMs).offsets().put(commit.topicPartition(), commit.value().get());
                } else if (state.group(commit.groupId()) != null) {
                    state.group(commit.groupId()).offsets().remove(commit.topicPartition());
                }
            }
            case GroupRecord.PendingOffsetCommit pending -> transactionalOffsets.replay(pending);
            case GroupRecord.ConsumerGroupSnapshot snapshot -> {
                if (snapshot.value().isEmpty()) {
                    state.removeConsumerGroup(snapshot.groupId());
                } else {
                    ConsumerGroup previous = state.consumerGroup(snapshot.groupId());
                    Invariants.check(previous == null || snapshot.value().get().groupEpoch() >= previous.groupEpoch(),
                            "consumer group %s epoch went back on replay", snapshot.groupId());
                    state.putConsumerGroup(ConsumerGroupManager.restore(snapshot.groupId(), snapshot.value().get()));
                }
            }
            case GroupRecord.GroupMetadata metadata -> {
                if (metadata.value().isEmpty()) {
                    state.remove(metadata.groupId());
                    return;
                }
                GroupRecord.GroupMetadataValue value = metadata.value().get();
                ClassicGroup previous = state.group(metadata.groupId());
                ClassicGroup group = new ClassicGroup(metadata.groupId(), nowMs);
                if (previous != null) {
                    Invariants.check(value.generationId() >= previous.generationId(), "group %s generation went back from %d to %d on replay",
                            metadata.groupId(), previous.generationId(), value.generationId());
                    group.offsets().putAll(previous.offsets());
                }
                group.restore(value);
                for (GroupRecord.MemberValue member : value.members()) {
                    ClassicGroupMember loaded = new ClassicGroupMember(member.memberId(), member.groupInstanceId(), member.clientId(),
                            member.clientHost(), value.protocolType(), new ClassicGroupMember.Timeouts(member.rebalanceTimeoutMs(),
                            member.sessionTimeoutMs()), List.of(new ClassicGroupMember.Protocol(value.protocolName(), member.subscription())));
                    loaded.setAssignment(member.assignment());
                    group.add(loaded);
                }
                group.restoreLeader(value.leaderId());
                state.remove(metadata.groupId());
                state.getOrCreateWith(group);
            }
        }
    }

    /** Answers every parked request with NOT_COORDINATOR; the shard is not used afterwards. */
    public void unload(long nowMs) {
        for (ClassicGroup group : new ArrayList<>(state.groups())) {
            classicGroups.onDead(group, nowMs, Errors.NOT_COORDINATOR);
        }
    }

    /** Applies every timeout due at {@code nowMs}: sessions, rebalances, pending members, offset expiry. */
    public void poll(long nowMs) {
        for (String groupId : state.takeDueGroups(nowMs)) {
            ClassicGroup group = state.group(groupId);
            if (group != null) {
                classicGroups.onDeadlines(group, nowMs);
                state.scheduleCheck(group);
            }
        }
        consumerGroups.poll(nowMs);
        if (nowMs >= nextOffsetExpiryMs) {
            nextOffsetExpiryMs = nowMs + config.offsetsRetentionCheckIntervalMs();
            int expired = offsets.expireOffsets(nowMs);
            if (expired > 0) {
                LOG.info("__consumer_offsets-{}: {} expired offsets removed", state.partition(), expired);
            }
        }
    }

    public CompletableFuture<JoinGroupResponseData> joinGroup(GroupRequestContext context, JoinGroupRequestData request, long nowMs) {
        ConsumerGroup consumerGroup = state.consumerGroup(request.groupId());
        if (consumerGroup != null && !consumerGroup.isEmpty()) {
            // The group runs the KIP-848 protocol; Fjord does not convert groups between protocols (Kafka can, KIP-848 upgrade path).
            return CompletableFuture.completedFuture(ClassicGroupManager.joinError(request.memberId(), Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        if (consumerGroup != null) {
            // An empty consumer group becomes a classic group (Kafka converts it too); its offsets stay.
            try {
                state.append(List.of(new GroupRecord.ConsumerGroupSnapshot(request.groupId(), Optional.empty())), nowMs);
            } catch (ApiException e) {
                return CompletableFuture.completedFuture(ClassicGroupManager.joinError(request.memberId(),
                        GroupShardState.groupMetadataAppendError(e.error())));
            }
            state.removeConsumerGroup(request.groupId());
            consumerGroups.forget(request.groupId());
        }
        CompletableFuture<JoinGroupResponseData> future = classicGroups.handleJoinGroupRequest(context, request, nowMs);
        poll(nowMs);
        return future;
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request, long nowMs) {
        CompletableFuture<SyncGroupResponseData> future = classicGroups.handleSyncGroupRequest(request, nowMs);
        poll(nowMs);
        return future;
    }

    public HeartbeatResponseData heartbeat(HeartbeatRequestData request, long nowMs) {
        HeartbeatResponseData response = classicGroups.handleHeartbeatRequest(request, nowMs);
        poll(nowMs);
        return response;
    }

    /** LeaveGroup in its batched (v3+) shape. */
    public LeaveGroupResponseData leaveGroup(LeaveGroupRequestData request, long nowMs) {
        LeaveGroupResponseData response = classicGroups.handleLeaveGroupRequest(request, nowMs);
        poll(nowMs);
        return response;
    }

    /** ConsumerGroupHeartbeat (KIP-848); {@code topics} resolves subscriptions to topic ids and partition counts. */
    public ConsumerGroupHeartbeatResponseData consumerGroupHeartbeat(GroupRequestContext context, ConsumerGroupHeartbeatRequestData request,
                                                                     TopicMetadataView topics, long nowMs) {
        ConsumerGroupHeartbeatResponseData response = consumerGroups.handleConsumerGroupHeartbeatRequest(context, request, topics, nowMs);
        poll(nowMs);
        return response;
    }

    /** ConsumerGroupDescribe: GROUP_ID_NOT_FOUND for unknown and classic groups (the Admin client then tries DescribeGroups). */
    public ConsumerGroupDescribeResponseData.DescribedGroup describeConsumerGroup(String groupId, boolean includeAuthorizedOperations,
                                                                                 TopicMetadataView topics) {
        ConsumerGroupDescribeResponseData.DescribedGroup described = new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                .setAuthorizedOperations(includeAuthorizedOperations ? ALL_GROUP_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED);
        ConsumerGroup group = state.consumerGroup(groupId);
        if (group == null) {
            ClassicGroup classic = state.group(groupId);
            String message = classic == null || classic.isInState(GroupState.DEAD) ? "Group " + groupId + " not found."
                    : "Group " + groupId + " is not a consumer group.";
            return described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(message);
        }
        return ConsumerGroupDescriber.describe(group, described, topics);
    }

    public OffsetCommitResponseData commitOffsets(GroupRequestContext context, OffsetCommitRequestData request, long nowMs) {
        return offsets.handleOffsetCommitRequest(context, request, nowMs);
    }

    /** The committed offsets of a group; {@code topics} empty means all. */
    public OffsetFetchResponseGroup fetchOffsets(String groupId, Optional<List<TopicRequest>> topics) {
        return fetchOffsets(groupId, topics, false);
    }

    /**
     * The committed offsets of a group; {@code topics} empty means all. With {@code requireStable},
     * partitions with an offset committed by an open transaction answer UNSTABLE_OFFSET_COMMIT.
     */
    public OffsetFetchResponseGroup fetchOffsets(String groupId, Optional<List<TopicRequest>> topics, boolean requireStable) {
        Optional<List<OffsetManager.RequestedTopic>> requested = topics.map(list -> list.stream()
                .map(topic -> new OffsetManager.RequestedTopic(topic.name(), topic.partitions())).toList());
        return offsets.fetchOffsets(groupId, requested, requireStable);
    }

    /**
     * OffsetFetch v9+ from a member: for a KIP-848 group the member must exist (UNKNOWN_MEMBER_ID) and
     * name its current epoch (STALE_MEMBER_EPOCH); {@code memberId} empty with epoch -1 is a fetch from outside.
     */
    public OffsetFetchResponseGroup fetchOffsets(String groupId, Optional<String> memberId, int memberEpoch,
                                                 Optional<List<TopicRequest>> topics, boolean requireStable) {
        Optional<Errors> error = offsets.validateConsumerGroupFetch(groupId, memberId, memberEpoch);
        if (error.isPresent()) {
            return new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(error.get().code());
        }
        return fetchOffsets(groupId, topics, requireStable);
    }

    /** TxnOffsetCommit: the offsets stay pending until {@link #completeTransaction}. */
    public TxnOffsetCommitResponseData commitTransactionalOffsets(TxnOffsetCommitRequestData request, long nowMs) {
        return transactionalOffsets.handleTxnOffsetCommitRequest(request, nowMs);
    }

    /** The COMMIT or ABORT of {@code producerId}'s transaction reached this partition. */
    public Errors completeTransaction(long producerId, boolean commit, long nowMs) {
        return transactionalOffsets.completeTransaction(producerId, commit, nowMs);
    }

    /** A topic and partitions an OffsetFetch asks about. */
    public record TopicRequest(String name, List<Integer> partitions) {
    }

    public OffsetDeleteResponseData deleteOffsets(OffsetDeleteRequestData request, long nowMs) {
        return offsets.handleOffsetDeleteRequest(request, nowMs);
    }

    /** The groups matching the filters (empty filter: all); state and type names are case-insensitive. */
    public List<ListedGroup> listGroups(Set<String> statesFilter, Set<String> typesFilter) {
        Set<String> states = lower(statesFilter);
        Set<String> types = lower(typesFilter);
        List<ListedGroup> listed = new ArrayList<>();
        for (ConsumerGroup group : state.consumerGroups()) {
            String stateName = group.state().displayName();
            if ((states.isEmpty() || states.contains(stateName.toLowerCase(Locale.ROOT)))
                    && (types.isEmpty() || types.contains(ConsumerGroup.TYPE))) {
                listed.add(new ListedGroup().setGroupId(group.groupId()).setProtocolType(CONSUMER_PROTOCOL_TYPE)
                        .setGroupState(stateName).setGroupType(ConsumerGroup.TYPE));
            }
        }
        for (ClassicGroup group : state.groups()) {
            if (group.isInState(GroupState.DEAD) || state.consumerGroup(group.groupId()) != null) {
                continue;
            }
            String stateName = group.state().displayName();
            if ((states.isEmpty() || states.contains(stateName.toLowerCase(Locale.ROOT)))
                    && (types.isEmpty() || types.contains(CLASSIC_GROUP_TYPE))) {
                listed.add(new ListedGroup().setGroupId(group.groupId()).setProtocolType(group.protocolType().orElse(""))
                        .setGroupState(stateName).setGroupType(CLASSIC_GROUP_TYPE));
            }
        }
        return listed;
    }

    private static Set<String> lower(Set<String> names) {
        Set<String> lowered = new java.util.HashSet<>();
        for (String name : names) {
            lowered.add(name.toLowerCase(Locale.ROOT));
        }
        return lowered;
    }

    /** DescribeGroups v0-5: an unknown group is described as Dead without an error, as Kafka does. */
    public DescribedGroup describeGroup(String groupId, boolean includeAuthorizedOperations) {
        DescribedGroup described = new DescribedGroup().setGroupId(groupId)
                .setAuthorizedOperations(includeAuthorizedOperations ? ALL_GROUP_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED);
        ClassicGroup group = state.group(groupId);
        if (group == null || state.consumerGroup(groupId) != null) {
            // Kafka (DescribeGroups v0-5) describes a group that is not a classic group as Dead, without an error.
            return described.setGroupState(GroupState.DEAD.displayName()).setProtocolType("").setProtocolData("");
        }
        boolean stable = group.isInState(GroupState.STABLE);
        String protocol = stable ? group.protocolName().orElse("") : "";
        described.setGroupState(group.state().displayName()).setProtocolType(group.protocolType().orElse("")).setProtocolData(protocol);
        for (ClassicGroupMember member : group.members()) {
            DescribedGroupMember describedMember = new DescribedGroupMember().setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId().orElse(null)).setClientId(member.clientId()).setClientHost(member.clientHost());
            // Kafka shows metadata and assignment only for a stable group.
            describedMember.setMemberMetadata(stable ? member.metadata(protocol).orElse(ClassicGroupMember.EMPTY_ASSIGNMENT) : ClassicGroupMember.EMPTY_ASSIGNMENT);
            describedMember.setMemberAssignment(stable ? member.assignment() : ClassicGroupMember.EMPTY_ASSIGNMENT);
            described.members().add(describedMember);
        }
        return described;
    }

    /** Deletes an empty group with its offsets; GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP otherwise. */
    public DeletableGroupResult deleteGroup(String groupId, long nowMs) {
        DeletableGroupResult result = new DeletableGroupResult().setGroupId(groupId);
        if (!ClassicGroupManager.isValidGroupId(groupId)) {
            return result.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        ConsumerGroup consumerGroup = state.consumerGroup(groupId);
        if (consumerGroup != null) {
            return deleteConsumerGroup(consumerGroup, result, nowMs);
        }
        ClassicGroup group = state.group(groupId);
        if (group == null || group.isInState(GroupState.DEAD)) {
            return result.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
        }
        if (!group.isInState(GroupState.EMPTY)) {
            return result.setErrorCode(Errors.NON_EMPTY_GROUP.code());
        }
        List<GroupRecord> records = new ArrayList<>();
        group.offsets().keySet().forEach(tp -> records.add(new GroupRecord.OffsetCommit(groupId, tp, Optional.empty())));
        records.add(new GroupRecord.GroupMetadata(groupId, Optional.empty()));
        try {
            state.append(records, nowMs);
        } catch (ApiException e) {
            return result.setErrorCode(GroupShardState.groupMetadataAppendError(e.error()).code());
        }
        classicGroups.onDead(group, nowMs, Errors.COORDINATOR_NOT_AVAILABLE);
        state.remove(groupId);
        LOG.info("[group {}] deleted with {} offsets", groupId, records.size() - 1);
        return result;
    }

    private DeletableGroupResult deleteConsumerGroup(ConsumerGroup group, DeletableGroupResult result, long nowMs) {
        if (!group.isEmpty()) {
            return result.setErrorCode(Errors.NON_EMPTY_GROUP.code());
        }
        List<GroupRecord> records = new ArrayList<>();
        ClassicGroup offsetsHolder = state.group(group.groupId());
        if (offsetsHolder != null) {
            offsetsHolder.offsets().keySet().forEach(tp -> records.add(new GroupRecord.OffsetCommit(group.groupId(), tp, Optional.empty())));
            records.add(new GroupRecord.GroupMetadata(group.groupId(), Optional.empty()));
        }
        records.add(new GroupRecord.ConsumerGroupSnapshot(group.groupId(), Optional.empty()));
        try {
            state.append(records, nowMs);
        } catch (ApiException e) {
            return result.setErrorCode(GroupShardState.groupMetadataAppendError(e.error()).code());
        }
        state.remove(group.groupId());
        state.removeConsumerGroup(group.groupId());
        consumerGroups.forget(group.groupId());
        LOG.info("[group {}] consumer group deleted", group.groupId());
        return result;
    }

    GroupShardState stateForTest() {
        return state;
    }

    /** Test and tooling view: the state of a group, if it exists. */
    public Optional<GroupState> groupState(String groupId) {
        return Optional.ofNullable(state.group(groupId)).map(ClassicGroup::state);
    }

    /** Test and tooling view: the generation of a group, if it exists. */
    public Optional<Integer> generationId(String groupId) {
        return Optional.ofNullable(state.group(groupId)).map(ClassicGroup::generationId);
    }
}
