package io.fjord.coordinator.group;

import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.OffsetCommitRequestData;
import io.fjord.protocol.message.OffsetCommitResponseData;
import io.fjord.protocol.message.OffsetDeleteRequestData;
import io.fjord.protocol.message.OffsetDeleteResponseData;
import io.fjord.protocol.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import io.fjord.protocol.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import io.fjord.protocol.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Committed offsets of one shard (Kafka's {@code OffsetMetadataManager}): OffsetCommit with Kafka's
 * generation checks (a commit with generation -1 to a group without members is accepted and
 * creates a "simple" group, as Admin and manually assigning consumers need), OffsetFetch,
 * OffsetDelete, and expiry after {@code offsets.retention.minutes} (KIP-211: counted from when the
 * group became empty; per commit for groups that never had members; for a stable consumer group,
 * only topics it no longer subscribes to expire).
 *
 * <p>An offset is applied to memory only after its record is in the log. Confined to the coordinator thread.
 */
final class OffsetManager {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetManager.class);
    private static final long UNKNOWN_OFFSET = -1L;

    private final GroupShardState shard;
    private final GroupCoordinatorConfig config;

    OffsetManager(GroupShardState shard, GroupCoordinatorConfig config) {
        this.shard = shard;
        this.config = config;
    }

    OffsetCommitResponseData handleOffsetCommitRequest(GroupRequestContext context, OffsetCommitRequestData request, long nowMs) {
        ClassicGroup group = shard.group(request.groupId());
        ConsumerGroup consumerGroup = shard.consumerGroup(request.groupId());
        boolean created = false;
        Optional<Errors> groupError;
        if (!ClassicGroupManager.isValidGroupId(request.groupId())) {
            groupError = Optional.of(Errors.INVALID_GROUP_ID);
        } else if (consumerGroup != null) {
            groupError = validateConsumerGroupCommit(consumerGroup, context, request);
            if (group == null && groupError.isEmpty()) {
                group = shard.getOrCreate(request.groupId(), nowMs);
                created = true;
            }
        } else if (group == null) {
            if (request.generationIdOrMemberEpoch() < 0) {
                group = shard.getOrCreate(request.groupId(), nowMs);
                created = true;
                groupError = Optional.empty();
            } else {
                groupError = Optional.of(context.apiVersion() >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION);
            }
        } else {
            groupError = validateCommit(group, request);
        }
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        List<GroupRecord> records = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> accepted = new java.util.HashMap<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                    .setName(topic.name()).setTopicId(topic.topicId());
            response.topics().add(topicResponse);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                String metadata = partition.committedMetadata() == null ? "" : partition.committedMetadata();
                Errors error = groupError.orElse(metadata.length() > config.offsetMetadataMaxBytes() ? Errors.OFFSET_METADATA_TOO_LARGE : Errors.NONE);
                if (error == Errors.NONE) {
                    TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                    OptionalLong expire = request.retentionTimeMs() >= 0 ? OptionalLong.of(nowMs + request.retentionTimeMs()) : OptionalLong.empty();
                    OffsetAndMetadata offset = new OffsetAndMetadata(partition.committedOffset(), partition.committedLeaderEpoch(), metadata, nowMs, expire);
                    accepted.put(tp, offset);
                    records.add(new GroupRecord.OffsetCommit(request.groupId(), tp, Optional.of(offset)));
                }
                topicResponse.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
        }
        try {
            shard.append(records, nowMs);
            if (group != null) {
                group.offsets().putAll(accepted);
            }
        } catch (ApiException e) {
            Errors error = GroupShardState.offsetCommitAppendError(e.error());
            LOG.warn("[group {}] could not store {} offsets: {}", request.groupId(), records.size(), e.getMessage());
            overwriteAcceptedErrors(response, error);
        }
        if (created && !group.hasOffsets()) {
            shard.remove(group.groupId());
        }
        return response;
    }

    /**
     * Kafka's {@code ConsumerGroup.validateOffsetCommit} (KIP-848): commits from outside (epoch -1) only
     * while the group has no members; a member must commit with OffsetCommit v9+ and its current
     * member epoch, else STALE_MEMBER_EPOCH (the client refreshes its epoch and retries).
     */
    private static Optional<Errors> validateConsumerGroupCommit(ConsumerGroup group, GroupRequestContext context, OffsetCommitRequestData request) {
        if (request.generationIdOrMemberEpoch() < 0 && group.isEmpty()) {
            return Optional.empty();
        }
        Optional<ConsumerGroupMember> member = group.member(request.memberId());
        if (member.isEmpty()) {
            return Optional.of(Errors.UNKNOWN_MEMBER_ID);
        }
        if (context.apiVersion() < 9) {
            return Optional.of(Errors.UNSUPPORTED_VERSION);
        }
        return request.generationIdOrMemberEpoch() == member.get().memberEpoch() ? Optional.empty() : Optional.of(Errors.STALE_MEMBER_EPOCH);
    }

    /**
     * OffsetFetch v9 for a consumer group (Kafka's {@code ConsumerGroup.validateOffsetFetch}): a
     * request naming no member and epoch -1 is from outside (Admin) and always allowed; a member must
     * exist and name its current epoch.
     */
    Optional<Errors> validateConsumerGroupFetch(String groupId, Optional<String> memberId, int memberEpoch) {
        ConsumerGroup group = shard.consumerGroup(groupId);
        if (group == null || (memberId.isEmpty() && memberEpoch < 0)) {
            return Optional.empty();
        }
        Optional<ConsumerGroupMember> member = memberId.flatMap(group::member);
        if (member.isEmpty()) {
            return Optional.of(Errors.UNKNOWN_MEMBER_ID);
        }
        return memberEpoch == member.get().memberEpoch() ? Optional.empty() : Optional.of(Errors.STALE_MEMBER_EPOCH);
    }

    /** True when some member of the KIP-848 group {@code groupId} subscribes to {@code topic}. */
    private boolean subscribedByConsumerGroup(String groupId, String topic) {
        ConsumerGroup group = shard.consumerGroup(groupId);
        return group != null && group.members().values().stream().anyMatch(member -> member.subscription().subscribedAmong(java.util.List.of(topic)).contains(topic));
    }

    /** Kafka's classic validateOffsetCommit. */
    private static Optional<Errors> validateCommit(ClassicGroup group, OffsetCommitRequestData request) {
        if (group.isInState(GroupState.DEAD)) {
            return Optional.of(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (request.generationIdOrMemberEpoch() < 0 && group.isInState(GroupState.EMPTY)) {
            return Optional.empty();
        }
        Optional<Errors> memberError = group.validateMember(request.memberId(), request.groupInstanceId());
        if (memberError.isPresent()) {
            return memberError;
        }
        if (request.generationIdOrMemberEpoch() != group.generationId()) {
            return Optional.of(Errors.ILLEGAL_GENERATION);
        }
        if (group.isInState(GroupState.COMPLETING_REBALANCE)) {
            // The member has this generation's JoinGroup answer but not its assignment: let it finish syncing.
            return Optional.of(Errors.REBALANCE_IN_PROGRESS);
        }
        return Optional.empty();
    }

    private static void overwriteAcceptedErrors(OffsetCommitResponseData response, Errors error) {
        for (OffsetCommitResponseData.OffsetCommitResponseTopic topic : response.topics()) {
            for (OffsetCommitResponseData.OffsetCommitResponsePartition partition : topic.partitions()) {
                if (partition.errorCode() == Errors.NONE.code()) {
                    partition.setErrorCode(error.code());
                }
            }
        }
    }

    /**
     * The committed offsets of a group: of the requested topics and partitions, or all of them when
     * {@code topics} is empty. Unknown groups and partitions answer offset -1 without an error. With
     * {@code requireStable} (OffsetFetch v7+), a partition an open transaction has committed an
     * offset for answers UNSTABLE_OFFSET_COMMIT, so the consumer waits for the transaction to end.
     */
    OffsetFetchResponseGroup fetchOffsets(String groupId, Optional<List<RequestedTopic>> topics, boolean requireStable) {
        ClassicGroup group = shard.group(groupId);
        OffsetFetchResponseGroup response = new OffsetFetchResponseGroup().setGroupId(groupId);
        if (group != null && group.isInState(GroupState.DEAD)) {
            return response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = group == null ? Map.of() : group.offsets();
        if (topics.isEmpty()) {
            Map<String, TreeMap<Integer, OffsetAndMetadata>> byTopic = new TreeMap<>();
            offsets.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), name -> new TreeMap<>()).put(tp.partition(), offset));
            byTopic.forEach((name, partitions) -> {
                OffsetFetchResponseTopics topicResponse = new OffsetFetchResponseTopics().setName(name);
                partitions.forEach((partition, offset) -> topicResponse.partitions().add(
                        partitionResponse(groupId, new TopicPartition(name, partition), offset, requireStable)));
                response.topics().add(topicResponse);
            });
            return response;
        }
        for (RequestedTopic topic : topics.get()) {
            OffsetFetchResponseTopics topicResponse = new OffsetFetchResponseTopics().setName(topic.name());
            for (int partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition);
                topicResponse.partitions().add(partitionResponse(groupId, tp, offsets.get(tp), requireStable));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    private OffsetFetchResponsePartitions partitionResponse(String groupId, TopicPartition tp, OffsetAndMetadata offset, boolean requireStable) {
        if (requireStable && shard.hasPendingTxnOffset(groupId, tp)) {
            return partitionResponse(tp.partition(), null).setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code());
        }
        return partitionResponse(tp.partition(), offset);
    }

    /** A topic an OffsetFetch asks about, with its partitions. */
    record RequestedTopic(String name, List<Integer> partitions) {
    }

    private static OffsetFetchResponsePartitions partitionResponse(int partition, OffsetAndMetadata offset) {
        if (offset == null) {
            return new OffsetFetchResponsePartitions().setPartitionIndex(partition).setCommittedOffset(UNKNOWN_OFFSET)
                    .setCommittedLeaderEpoch(OffsetAndMetadata.NO_LEADER_EPOCH).setMetadata("");
        }
        return new OffsetFetchResponsePartitions().setPartitionIndex(partition).setCommittedOffset(offset.committedOffset())
                .setCommittedLeaderEpoch(offset.committedLeaderEpoch()).setMetadata(offset.metadata());
    }

    OffsetDeleteResponseData handleOffsetDeleteRequest(OffsetDeleteRequestData request, long nowMs) {
        ClassicGroup group = shard.group(request.groupId());
        if (!ClassicGroupManager.isValidGroupId(request.groupId())) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        if (group == null || group.isInState(GroupState.DEAD)) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
        }
        boolean consumerGroup = group.protocolType().map(ConsumerProtocolCodec.CONSUMER_PROTOCOL_TYPE::equals).orElse(false);
        if (!group.isInState(GroupState.EMPTY) && !consumerGroup) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.NON_EMPTY_GROUP.code());
        }
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        List<GroupRecord> records = new ArrayList<>();
        List<TopicPartition> deleted = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse = new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
            boolean subscribed = (!group.isInState(GroupState.EMPTY) && group.subscribedTopics().map(set -> set.contains(topic.name())).orElse(false))
                    || subscribedByConsumerGroup(request.groupId(), topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                Errors error = subscribed ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE;
                if (error == Errors.NONE && group.offsets().containsKey(tp)) {
                    records.add(new GroupRecord.OffsetCommit(group.groupId(), tp, Optional.empty()));
                    deleted.add(tp);
                }
                topicResponse.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        try {
            shard.append(records, nowMs);
        } catch (ApiException e) {
            return new OffsetDeleteResponseData().setErrorCode(GroupShardState.groupMetadataAppendError(e.error()).code());
        }
        deleted.forEach(group.offsets()::remove);
        return response;
    }

    /** Deletes expired offsets and then empty groups without offsets; returns how many offsets expired. */
    int expireOffsets(long nowMs) {
        int expired = 0;
        for (ClassicGroup group : new ArrayList<>(shard.groups())) {
            ConsumerGroup consumerGroup = shard.consumerGroup(group.groupId());
            if (consumerGroup != null && !consumerGroup.isEmpty()) {
                // A consumer group with members keeps its offsets (Kafka expires only unsubscribed topics' offsets; not yet here).
                continue;
            }
            List<TopicPartition> due = expiredOffsets(group, nowMs);
            boolean removeGroup = group.isInState(GroupState.EMPTY) && group.offsets().size() == due.size()
                    && group.pendingMembers().isEmpty();
            if (due.isEmpty() && !removeGroup) {
                continue;
            }
            List<GroupRecord> records = new ArrayList<>();
            for (TopicPartition tp : due) {
                records.add(new GroupRecord.OffsetCommit(group.groupId(), tp, Optional.empty()));
            }
            if (removeGroup) {
                records.add(new GroupRecord.GroupMetadata(group.groupId(), Optional.empty()));
                if (consumerGroup != null) {
                    records.add(new GroupRecord.ConsumerGroupSnapshot(group.groupId(), Optional.empty()));
                }
            }
            try {
                shard.append(records, nowMs);
            } catch (ApiException e) {
                LOG.warn("[group {}] could not expire {} offsets: {}", group.groupId(), due.size(), e.getMessage());
                continue;
            }
            due.forEach(group.offsets()::remove);
            expired += due.size();
            if (removeGroup) {
                LOG.info("[group {}] empty and without offsets; removed", group.groupId());
                group.transitionTo(GroupState.DEAD, nowMs);
                shard.remove(group.groupId());
                shard.removeConsumerGroup(group.groupId());
            }
        }
        return expired;
    }

    private List<TopicPartition> expiredOffsets(ClassicGroup group, long nowMs) {
        List<TopicPartition> due = new ArrayList<>();
        boolean empty = group.isInState(GroupState.EMPTY);
        Optional<Set<String>> subscribed = group.isInState(GroupState.STABLE) ? group.subscribedTopics() : Optional.empty();
        if (!empty && subscribed.isEmpty()) {
            return due;
        }
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : group.offsets().entrySet()) {
            OffsetAndMetadata offset = entry.getValue();
            if (!empty && subscribed.get().contains(entry.getKey().topic())) {
                continue;
            }
            boolean expired;
            if (offset.expireTimestampMs().isPresent()) {
                expired = nowMs >= offset.expireTimestampMs().getAsLong();
            } else {
                long baseMs = empty && group.protocolType().isPresent() ? group.stateTimestampMs() : offset.commitTimestampMs();
                expired = nowMs - baseMs >= config.offsetsRetentionMs();
            }
            if (expired) {
                due.add(entry.getKey());
            }
        }
        return due;
    }
}
