package io.fjord.coordinator.group;

import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.TxnOffsetCommitRequestData;
import io.fjord.protocol.message.TxnOffsetCommitResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Offsets committed inside transactions (TxnOffsetCommit, KIP-98/KIP-447) for one shard. They stay
 * pending, invisible to OffsetFetch (which answers UNSTABLE_OFFSET_COMMIT for them when asked for
 * stable offsets), until the transaction coordinator reports the transaction's end through
 * {@link #completeTransaction}: a COMMIT makes them the group's committed offsets, an ABORT drops
 * them. Both outcomes are one batch (the committed offsets plus the pending records' tombstones),
 * so a reload sees either the pending offsets or their outcome, never half of it.
 *
 * <p>The transaction coordinator has already checked that the producer's open transaction holds
 * this group's partition before a commit reaches this class. Confined to the coordinator thread.
 */
final class TransactionalOffsetManager {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalOffsetManager.class);

    private final GroupShardState shard;
    private final GroupCoordinatorConfig config;

    TransactionalOffsetManager(GroupShardState shard, GroupCoordinatorConfig config) {
        this.shard = shard;
        this.config = config;
    }

    TxnOffsetCommitResponseData handleTxnOffsetCommitRequest(TxnOffsetCommitRequestData request, long nowMs) {
        boolean created = false;
        Optional<Errors> groupError;
        ClassicGroup group = shard.group(request.groupId());
        if (!ClassicGroupManager.isValidGroupId(request.groupId())) {
            groupError = Optional.of(Errors.INVALID_GROUP_ID);
        } else {
            if (group == null) {
                group = shard.getOrCreate(request.groupId(), nowMs);
                created = true;
            }
            groupError = validate(group, request);
        }
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        List<GroupRecord> records = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> accepted = new HashMap<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(topicResponse);
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                String metadata = partition.committedMetadata() == null ? "" : partition.committedMetadata();
                Errors error = groupError.orElse(metadata.length() > config.offsetMetadataMaxBytes() ? Errors.OFFSET_METADATA_TOO_LARGE : Errors.NONE);
                if (error == Errors.NONE) {
                    TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                    OffsetAndMetadata offset = new OffsetAndMetadata(partition.committedOffset(), partition.committedLeaderEpoch(),
                            metadata, nowMs, OptionalLong.empty());
                    accepted.put(tp, offset);
                    records.add(new GroupRecord.PendingOffsetCommit(request.groupId(), request.producerId(), tp, Optional.of(offset)));
                }
                topicResponse.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
        }
        try {
            shard.append(records, nowMs);
            if (!accepted.isEmpty()) {
                shard.pendingTxnOffsets(request.producerId()).computeIfAbsent(request.groupId(), id -> new HashMap<>()).putAll(accepted);
            }
        } catch (ApiException e) {
            Errors error = GroupShardState.offsetCommitAppendError(e.error());
            LOG.warn("[group {}] could not store {} transactional offsets: {}", request.groupId(), records.size(), e.getMessage());
            response.topics().forEach(topic -> topic.partitions().forEach(partition -> {
                if (partition.errorCode() == Errors.NONE.code()) {
                    partition.setErrorCode(error.code());
                }
            }));
        }
        if (created && !group.hasOffsets() && accepted.isEmpty()) {
            shard.remove(group.groupId());
        }
        return response;
    }

    /**
     * Kafka's classic validateOffsetCommit for a transactional commit: TxnOffsetCommit v0-2 carry
     * no member fields, so they are checked only when given (KIP-447, v3+), and a group that is
     * completing a rebalance is not an error here.
     */
    private static Optional<Errors> validate(ClassicGroup group, TxnOffsetCommitRequestData request) {
        if (group.isInState(GroupState.DEAD)) {
            return Optional.of(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (request.generationId() < 0 && group.isInState(GroupState.EMPTY)) {
            return Optional.empty();
        }
        if (request.generationId() >= 0 || !request.memberId().isEmpty() || request.groupInstanceId() != null) {
            Optional<Errors> memberError = group.validateMember(request.memberId(), request.groupInstanceId());
            if (memberError.isPresent()) {
                return memberError;
            }
            if (request.generationId() != group.generationId()) {
                return Optional.of(Errors.ILLEGAL_GENERATION);
            }
        }
        return Optional.empty();
    }

    /**
     * The transaction of {@code producerId} ended: on COMMIT its pending offsets become the groups'
     * committed offsets; on ABORT they are dropped. Answers the storage error when the outcome could
     * not be written (the transaction coordinator then tries again); NONE when nothing was pending.
     */
    Errors completeTransaction(long producerId, boolean commit, long nowMs) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> pending = shard.pendingTxnOffsets(producerId);
        if (pending.isEmpty()) {
            shard.removePendingTxnOffsets(producerId);
            return Errors.NONE;
        }
        List<GroupRecord> records = new ArrayList<>();
        pending.forEach((groupId, offsets) -> offsets.forEach((tp, offset) -> {
            if (commit) {
                records.add(new GroupRecord.OffsetCommit(groupId, tp, Optional.of(offset)));
            }
            records.add(new GroupRecord.PendingOffsetCommit(groupId, producerId, tp, Optional.empty()));
        }));
        try {
            shard.append(records, nowMs);
        } catch (ApiException e) {
            LOG.warn("[producer {}] could not record the {} of its transactional offsets: {}", producerId, commit ? "commit" : "abort",
                    e.getMessage());
            return GroupShardState.offsetCommitAppendError(e.error());
        }
        shard.removePendingTxnOffsets(producerId);
        if (commit) {
            pending.forEach((groupId, offsets) -> shard.getOrCreate(groupId, nowMs).offsets().putAll(offsets));
        }
        return Errors.NONE;
    }

    /** Replays one pending record (or its tombstone). */
    void replay(GroupRecord.PendingOffsetCommit record) {
        if (record.value().isPresent()) {
            shard.pendingTxnOffsets(record.producerId()).computeIfAbsent(record.groupId(), id -> new HashMap<>())
                    .put(record.topicPartition(), record.value().get());
        } else {
            shard.removePendingTxnOffset(record.producerId(), record.groupId(), record.topicPartition());
        }
    }
}
