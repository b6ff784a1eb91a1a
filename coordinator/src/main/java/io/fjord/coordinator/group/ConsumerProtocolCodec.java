package io.fjord.coordinator.group;

import io.fjord.protocol.message.ConsumerProtocolAssignmentData;
import io.fjord.protocol.message.ConsumerProtocolSubscriptionData;
import io.fjord.protocol.types.MessageReader;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the consumer embedded protocol ({@code ConsumerProtocolSubscription} /
 * {@code ConsumerProtocolAssignment}: an int16 version, then the struct) that members of groups with
 * protocol type {@code consumer} put in their JoinGroup metadata and the leader's SyncGroup
 * assignments. The coordinator never interprets the assignment; it only checks that the bytes are
 * well-formed before storing them, and reads subscribed topics for OffsetDelete and offset expiry,
 * as Kafka does. A newer version than Fjord knows is read as the newest known one: later versions
 * only append fields.
 */
final class ConsumerProtocolCodec {

    static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private ConsumerProtocolCodec() {
    }

    static Optional<ConsumerProtocolSubscriptionData> readSubscription(byte[] bytes) {
        try {
            MessageReader reader = new MessageReader(ByteBuffer.wrap(bytes));
            short version = reader.readInt16();
            if (version < 0) {
                return Optional.empty();
            }
            short known = (short) Math.min(version, ConsumerProtocolSubscriptionData.HIGHEST_SUPPORTED_VERSION);
            return Optional.of(new ConsumerProtocolSubscriptionData(reader, known));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** An empty assignment (no bytes) is valid: Kafka gives it to members the leader left out. */
    static boolean isValidAssignment(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return true;
        }
        try {
            MessageReader reader = new MessageReader(ByteBuffer.wrap(bytes));
            short version = reader.readInt16();
            if (version < 0) {
                return false;
            }
            new ConsumerProtocolAssignmentData(reader, (short) Math.min(version, ConsumerProtocolAssignmentData.HIGHEST_SUPPORTED_VERSION));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The union of the topics the members subscribe to with the selected protocol; empty if any is unreadable. */
    static Optional<Set<String>> subscribedTopics(ClassicGroup group) {
        if (!group.protocolType().map(CONSUMER_PROTOCOL_TYPE::equals).orElse(false) || group.protocolName().isEmpty()) {
            return Optional.empty();
        }
        Set<String> topics = new HashSet<>();
        for (ClassicGroupMember member : group.members()) {
            Optional<byte[]> metadata = member.metadata(group.protocolName().get());
            Optional<ConsumerProtocolSubscriptionData> subscription = metadata.flatMap(ConsumerProtocolCodec::readSubscription);
            if (subscription.isEmpty()) {
                return Optional.empty();
            }
            topics.addAll(subscription.get().topics());
        }
        return Optional.of(topics);
    }
}
