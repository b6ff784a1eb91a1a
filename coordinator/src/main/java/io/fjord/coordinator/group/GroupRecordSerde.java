package io.fjord.coordinator.group;

import io.fjord.common.TopicPartition;
import io.fjord.coordinator.group.GroupRecord.GroupMetadata;
import io.fjord.coordinator.group.GroupRecord.GroupMetadataValue;
import io.fjord.coordinator.group.GroupRecord.MemberValue;
import io.fjord.coordinator.group.GroupRecord.OffsetCommit;
import io.fjord.coordinator.group.GroupRecord.PendingOffsetCommit;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Bytes of the records in {@code __consumer_offsets}. The layout follows Kafka's own key and value
 * schemas (non-flexible versions), so the key version tells the record type exactly as in Kafka
 * and a compacted topic keeps one value per group or per group-partition.
 *
 * <pre>
 * string          = int16 length, UTF-8 bytes          nullable string: length -1 for null
 * bytes           = int32 length, bytes
 *
 * OffsetCommit key (version 1)    | int16 1 | string group | string topic | int32 partition |
 * GroupMetadata key (version 2)   | int16 2 | string group |
 * PendingOffsetCommit key (1000)  | int16 1000 | string group | int64 producerId | string topic | int32 partition |
 *   (Fjord's own record: a transaction's offset awaiting its COMMIT/ABORT; the value is an OffsetCommit value.
 *    Kafka instead writes transactional OffsetCommit records and resolves them by the control batch that
 *    follows; a key per producer keeps Fjord's pending offsets compaction-safe without control batches:
 *    the outcome (OffsetCommit records on COMMIT) and the pending record's tombstone go in one batch.)
 *
 * OffsetCommit value version 3    | int16 3 | int64 offset | int32 leaderEpoch | string metadata | int64 commitTimestamp |
 * OffsetCommit value version 1    | int16 1 | int64 offset | string metadata | int64 commitTimestamp | int64 expireTimestamp |
 *   (version 1 is written only when the commit carried an explicit retention, OffsetCommit v2-4; as Kafka does)
 *
 * GroupMetadata value version 3   | int16 3 | string protocolType | int32 generation | nullable string protocol |
 *                                 | nullable string leader | int64 currentStateTimestamp | int32 memberCount | member* |
 *   member                        | string memberId | nullable string groupInstanceId | string clientId | string clientHost |
 *                                 | int32 rebalanceTimeout | int32 sessionTimeout | bytes subscription | bytes assignment |
 *
 * ConsumerGroupSnapshot key (1001) | int16 1001 | string group |
 *   (Fjord's own record: a KIP-848 consumer group as a whole; Kafka writes several record types per member instead.)
 * ConsumerGroupSnapshot value v0  | int16 0 | int32 groupEpoch | int32 assignmentEpoch | int32 memberCount | cmember* |
 *   cmember                       | string memberId | int32 memberEpoch | int32 previousMemberEpoch | int8 state |
 *                                 | nullable string instanceId | nullable string rackId | string clientId | string clientHost |
 *                                 | int32 rebalanceTimeout | nullable string serverAssignor | int32 topicCount | string topic* |
 *                                 | nullable string topicRegex |
 *                                 | partitions assigned | partitions pendingRevocation | partitions target |
 *   partitions                    | int32 topicCount | (int64 topicIdHigh | int64 topicIdLow | int32 count | int32 partition*)* |
 *
 * A null value (tombstone) deletes the key.
 * </pre>
 * Decoding checks every length against the bytes present and fails with {@link IllegalStateException}
 * ("corrupt coordinator record"): the log's CRC already vouched for these bytes, so a bad record is
 * a bug or disk corruption, never client input.
 */
final class GroupRecordSerde {

    static final short OFFSET_COMMIT_KEY_VERSION = 1;
    static final short GROUP_METADATA_KEY_VERSION = 2;
    static final short PENDING_OFFSET_COMMIT_KEY_VERSION = 1000;
    static final short CONSUMER_GROUP_KEY_VERSION = 1001;
    static final short CONSUMER_GROUP_VALUE_VERSION = 0;
    static final short OFFSET_COMMIT_VALUE_VERSION = 3;
    static final short OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY = 1;
    static final short GROUP_METADATA_VALUE_VERSION = 3;

    private GroupRecordSerde() {
    }

    static CoordinatorLog.Entry serialize(GroupRecord record) {
        return switch (record) {
            case OffsetCommit commit -> new CoordinatorLog.Entry(offsetKey(commit), commit.value().map(GroupRecordSerde::offsetValue).orElse(null));
            case GroupMetadata group -> new CoordinatorLog.Entry(groupKey(group.groupId()),
                    group.value().map(GroupRecordSerde::groupValue).orElse(null));
            case PendingOffsetCommit pending -> new CoordinatorLog.Entry(pendingOffsetKey(pending),
                    pending.value().map(GroupRecordSerde::offsetValue).orElse(null));
            case GroupRecord.ConsumerGroupSnapshot snapshot -> new CoordinatorLog.Entry(consumerGroupKey(snapshot.groupId()),
                    snapshot.value().map(ConsumerGroupSerde::write).orElse(null));
        };
    }

    static GroupRecord deserialize(CoordinatorLog.Entry entry) {
        try {
            ByteBuffer key = ByteBuffer.wrap(entry.key());
            short keyVersion = key.getShort();
            String groupId = readString(key);
            ByteBuffer value = entry.value() == null ? null : ByteBuffer.wrap(entry.value());
            if (keyVersion == 0 || keyVersion == OFFSET_COMMIT_KEY_VERSION) {
                TopicPartition tp = new TopicPartition(readString(key), key.getInt());
                return new OffsetCommit(groupId, tp, value == null ? Optional.empty() : Optional.of(readOffsetValue(value)));
            }
            if (keyVersion == PENDING_OFFSET_COMMIT_KEY_VERSION) {
                long producerId = key.getLong();
                TopicPartition tp = new TopicPartition(readString(key), key.getInt());
                return new PendingOffsetCommit(groupId, producerId, tp, value == null ? Optional.empty() : Optional.of(readOffsetValue(value)));
            }
            if (keyVersion == CONSUMER_GROUP_KEY_VERSION) {
                return new GroupRecord.ConsumerGroupSnapshot(groupId, value == null ? Optional.empty() : Optional.of(ConsumerGroupSerde.read(value)));
            }
            if (keyVersion == GROUP_METADATA_KEY_VERSION) {
                return new GroupMetadata(groupId, value == null ? Optional.empty() : Optional.of(readGroupValue(value)));
            }
            throw new IllegalStateException("corrupt coordinator record: unknown key version " + keyVersion);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalStateException("corrupt coordinator record: " + e, e);
        }
    }

    private static byte[] offsetKey(OffsetCommit commit) {
        Writer writer = new Writer();
        writer.int16(OFFSET_COMMIT_KEY_VERSION);
        writer.string(commit.groupId());
        writer.string(commit.topicPartition().topic());
        writer.int32(commit.topicPartition().partition());
        return writer.toArray();
    }

    private static byte[] pendingOffsetKey(PendingOffsetCommit pending) {
        Writer writer = new Writer();
        writer.int16(PENDING_OFFSET_COMMIT_KEY_VERSION);
        writer.string(pending.groupId());
        writer.int64(pending.producerId());
        writer.string(pending.topicPartition().topic());
        writer.int32(pending.topicPartition().partition());
        return writer.toArray();
    }

    private static byte[] consumerGroupKey(String groupId) {
        Writer writer = new Writer();
        writer.int16(CONSUMER_GROUP_KEY_VERSION);
        writer.string(groupId);
        return writer.toArray();
    }

    private static byte[] groupKey(String groupId) {
        Writer writer = new Writer();
        writer.int16(GROUP_METADATA_KEY_VERSION);
        writer.string(groupId);
        return writer.toArray();
    }

    private static byte[] offsetValue(OffsetAndMetadata offset) {
        Writer writer = new Writer();
        if (offset.expireTimestampMs().isPresent()) {
            writer.int16(OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY);
            writer.int64(offset.committedOffset());
            writer.string(offset.metadata());
            writer.int64(offset.commitTimestampMs());
            writer.int64(offset.expireTimestampMs().getAsLong());
        } else {
            writer.int16(OFFSET_COMMIT_VALUE_VERSION);
            writer.int64(offset.committedOffset());
            writer.int32(offset.committedLeaderEpoch());
            writer.string(offset.metadata());
            writer.int64(offset.commitTimestampMs());
        }
        return writer.toArray();
    }

    private static OffsetAndMetadata readOffsetValue(ByteBuffer value) {
        short version = value.getShort();
        long offset = value.getLong();
        if (version == 0 || version == OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY) {
            String metadata = readString(value);
            long commitTimestamp = value.getLong();
            OptionalLong expire = version == 1 ? OptionalLong.of(value.getLong()) : OptionalLong.empty();
            return new OffsetAndMetadata(offset, OffsetAndMetadata.NO_LEADER_EPOCH, metadata, commitTimestamp, expire);
        }
        if (version == OFFSET_COMMIT_VALUE_VERSION) {
            int leaderEpoch = value.getInt();
            String metadata = readString(value);
            return new OffsetAndMetadata(offset, leaderEpoch, metadata, value.getLong(), OptionalLong.empty());
        }
        throw new IllegalStateException("corrupt coordinator record: unknown offset value version " + version);
    }

    private static byte[] groupValue(GroupMetadataValue group) {
        Writer writer = new Writer();
        writer.int16(GROUP_METADATA_VALUE_VERSION);
        writer.string(group.protocolType());
        writer.int32(group.generationId());
        writer.string(group.protocolName());
        writer.string(group.leaderId());
        writer.int64(group.currentStateTimestampMs());
        writer.int32(group.members().size());
        for (MemberValue member : group.members()) {
            writer.string(member.memberId());
            writer.string(member.groupInstanceId());
            writer.string(member.clientId());
            writer.string(member.clientHost());
            writer.int32(member.rebalanceTimeoutMs());
            writer.int32(member.sessionTimeoutMs());
            writer.bytes(member.subscription());
            writer.bytes(member.assignment());
        }
        return writer.toArray();
    }

    private static GroupMetadataValue readGroupValue(ByteBuffer value) {
        short version = value.getShort();
        if (version != GROUP_METADATA_VALUE_VERSION) {
            throw new IllegalStateException("corrupt coordinator record: unknown group value version " + version);
        }
        String protocolType = readString(value);
        int generation = value.getInt();
        String protocol = readString(value);
        String leader = readString(value);
        long stateTimestamp = value.getLong();
        int count = value.getInt();
        // Every member takes at least 28 bytes, so a count beyond that is corruption, not a reason to allocate.
        if (count < 0 || count > value.remaining() / 28) {
            throw new IllegalStateException("corrupt coordinator record: member count " + count);
        }
        List<MemberValue> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(new MemberValue(readString(value), readString(value), readString(value), readString(value),
                    value.getInt(), value.getInt(), readBytes(value), readBytes(value)));
        }
        return new GroupMetadataValue(protocolType == null ? "" : protocolType, generation, protocol, leader, stateTimestamp, members);
    }

    /** The consumer group snapshot value (layout in the class doc). */
    private static final class ConsumerGroupSerde {

        static byte[] write(GroupRecord.ConsumerGroupValue group) {
            Writer writer = new Writer();
            writer.int16(CONSUMER_GROUP_VALUE_VERSION);
            writer.int32(group.groupEpoch());
            writer.int32(group.assignmentEpoch());
            writer.int32(group.members().size());
            for (GroupRecord.ConsumerMemberValue value : group.members()) {
                ConsumerGroupMember member = value.member();
                ConsumerGroupMember.Subscription subscription = member.subscription();
                writer.string(member.memberId());
                writer.int32(member.memberEpoch());
                writer.int32(member.previousMemberEpoch());
                writer.int8(member.state().code());
                writer.string(subscription.instanceId().orElse(null));
                writer.string(subscription.rackId().orElse(null));
                writer.string(subscription.clientId());
                writer.string(subscription.clientHost());
                writer.int32(subscription.rebalanceTimeoutMs());
                writer.string(subscription.serverAssignor().orElse(null));
                writer.int32(subscription.topicNames().size());
                subscription.topicNames().forEach(writer::string);
                writer.string(subscription.topicRegex().orElse(null));
                writePartitions(writer, member.assigned());
                writePartitions(writer, member.pendingRevocation());
                writePartitions(writer, value.target());
            }
            return writer.toArray();
        }

        private static void writePartitions(Writer writer, MemberAssignment assignment) {
            writer.int32(assignment.partitions().size());
            assignment.partitions().forEach((topicId, partitions) -> {
                writer.int64(topicId.mostSignificantBits());
                writer.int64(topicId.leastSignificantBits());
                writer.int32(partitions.size());
                partitions.forEach(writer::int32);
            });
        }

        static GroupRecord.ConsumerGroupValue read(ByteBuffer value) {
            short version = value.getShort();
            if (version != CONSUMER_GROUP_VALUE_VERSION) {
                throw new IllegalStateException("corrupt coordinator record: unknown consumer group value version " + version);
            }
            int groupEpoch = value.getInt();
            int assignmentEpoch = value.getInt();
            int count = checkedCount(value, value.getInt(), 40);
            List<GroupRecord.ConsumerMemberValue> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String memberId = readString(value);
                int memberEpoch = value.getInt();
                int previousEpoch = value.getInt();
                ConsumerMemberState state = ConsumerMemberState.fromCode(value.get());
                Optional<String> instanceId = Optional.ofNullable(readString(value));
                Optional<String> rackId = Optional.ofNullable(readString(value));
                String clientId = readString(value);
                String clientHost = readString(value);
                int rebalanceTimeoutMs = value.getInt();
                Optional<String> assignor = Optional.ofNullable(readString(value));
                int topicCount = checkedCount(value, value.getInt(), 2);
                List<String> topics = new ArrayList<>(topicCount);
                for (int t = 0; t < topicCount; t++) {
                    topics.add(readString(value));
                }
                Optional<String> topicRegex = Optional.ofNullable(readString(value));
                ConsumerGroupMember.Subscription subscription = new ConsumerGroupMember.Subscription(instanceId, rackId, clientId,
                        clientHost, rebalanceTimeoutMs, topics, assignor, topicRegex);
                MemberAssignment assigned = readPartitions(value);
                MemberAssignment pending = readPartitions(value);
                MemberAssignment target = readPartitions(value);
                members.add(new GroupRecord.ConsumerMemberValue(new ConsumerGroupMember(memberId, memberEpoch, previousEpoch, state,
                        subscription, assigned, pending), target));
            }
            return new GroupRecord.ConsumerGroupValue(groupEpoch, assignmentEpoch, members);
        }

        private static MemberAssignment readPartitions(ByteBuffer value) {
            int topics = checkedCount(value, value.getInt(), 20);
            java.util.Map<io.fjord.common.Uuid, List<Integer>> partitions = new java.util.HashMap<>();
            for (int t = 0; t < topics; t++) {
                io.fjord.common.Uuid topicId = new io.fjord.common.Uuid(value.getLong(), value.getLong());
                int count = checkedCount(value, value.getInt(), 4);
                List<Integer> list = new ArrayList<>(count);
                for (int p = 0; p < count; p++) {
                    list.add(value.getInt());
                }
                partitions.put(topicId, list);
            }
            return MemberAssignment.of(partitions);
        }

        /** A count that cannot fit in the bytes left (each element taking at least {@code minBytes}) is corruption. */
        private static int checkedCount(ByteBuffer value, int count, int minBytes) {
            if (count < 0 || count > value.remaining() / minBytes) {
                throw new IllegalStateException("corrupt coordinator record: count " + count);
            }
            return count;
        }
    }

    private static String readString(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0) {
            return null;
        }
        if (length > buffer.remaining()) {
            throw new IllegalStateException("corrupt coordinator record: string of " + length + " bytes, " + buffer.remaining() + " left");
        }
        String value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return value;
    }

    private static byte[] readBytes(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalStateException("corrupt coordinator record: bytes of " + length + " bytes, " + buffer.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    /** A growable big-endian writer; coordinator records are small and written on the control plane. */
    private static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(128);

        void int8(byte value) {
            ensure(1).put(value);
        }

        void int16(short value) {
            ensure(2).putShort(value);
        }

        void int32(int value) {
            ensure(4).putInt(value);
        }

        void int64(long value) {
            ensure(8).putLong(value);
        }

        void string(String value) {
            if (value == null) {
                int16((short) -1);
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long for a coordinator record");
            }
            int16((short) bytes.length);
            ensure(bytes.length).put(bytes);
        }

        void bytes(byte[] value) {
            byte[] bytes = value == null ? new byte[0] : value;
            int32(bytes.length);
            ensure(bytes.length).put(bytes);
        }

        private ByteBuffer ensure(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            return buffer;
        }

        byte[] toArray() {
            byte[] bytes = new byte[buffer.position()];
            buffer.flip();
            buffer.get(bytes);
            return bytes;
        }
    }
}
