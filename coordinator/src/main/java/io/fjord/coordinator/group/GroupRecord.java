package io.fjord.coordinator.group;

import io.fjord.common.TopicPartition;

import java.util.List;
import java.util.Optional;

/**
 * A record the group coordinator writes to {@code __consumer_offsets}: a committed offset, a
 * transaction's pending offset or a group's metadata; an empty value is a tombstone. {@link GroupRecordSerde} turns them into bytes.
 * Package-private: only the coordinator and its serde see them.
 */
sealed interface GroupRecord {

    String groupId();

    /** The committed offset of one partition for a group, or its deletion. */
    record OffsetCommit(String groupId, TopicPartition topicPartition, Optional<OffsetAndMetadata> value) implements GroupRecord {
    }

    /**
     * An offset a transaction committed for a group (TxnOffsetCommit) that its COMMIT has not made
     * visible yet, or (empty value) the end of that pending state: the COMMIT or ABORT wrote the
     * outcome. Keyed by producer id as well, so compaction keeps one value per transaction, group
     * and partition.
     */
    record PendingOffsetCommit(String groupId, long producerId, TopicPartition topicPartition, Optional<OffsetAndMetadata> value)
            implements GroupRecord {
    }

    /**
     * A KIP-848 consumer group as a whole (epochs, members, their reconciliation state and targets),
     * or its deletion. Fjord's own record: Kafka writes one record per member, per target and per
     * epoch instead; one snapshot per change is simpler and bounded by {@code group.max.size}.
     */
    record ConsumerGroupSnapshot(String groupId, Optional<ConsumerGroupValue> value) implements GroupRecord {
    }

    /** A consumer group's persisted state. */
    record ConsumerGroupValue(int groupEpoch, int assignmentEpoch, List<ConsumerMemberValue> members) {
        public ConsumerGroupValue {
            members = List.copyOf(members);
        }
    }

    /** One member with its target assignment. */
    record ConsumerMemberValue(ConsumerGroupMember member, MemberAssignment target) {
    }

    /** A classic group's generation and members, or the group's deletion. */
    record GroupMetadata(String groupId, Optional<GroupMetadataValue> value) implements GroupRecord {
    }

    /**
     * What a classic group persists at the end of each generation.
     *
     * @param protocolType  "" for a group that only commits offsets
     * @param protocolName  the selected protocol, null when the group has no members
     * @param leaderId      the leader's member id, null when the group has no members
     */
    record GroupMetadataValue(String protocolType, int generationId, String protocolName, String leaderId,
                              long currentStateTimestampMs, List<MemberValue> members) {
    }

    /** One member of a persisted generation; {@code groupInstanceId} is null for a dynamic member. */
    record MemberValue(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                       int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
    }
}
