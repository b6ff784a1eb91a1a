package io.fjord.coordinator.group;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A KIP-848 consumer group of one shard: its group epoch (bumped whenever membership, subscriptions
 * or the subscribed topics change), the epoch of the target assignment computed last, the members
 * and each member's target. The committed offsets of the group live with the shard's offsets
 * (a {@link ClassicGroup} entry without members holds them, as for groups that only commit).
 *
 * <p>Changes are made on a {@link #copy()}, written to the log, and only then put in place by
 * {@link ConsumerGroupManager}. Confined to the coordinator thread.
 *
 * <p>State (Kafka's {@code ConsumerGroupState}), derived, never stored:
 * EMPTY (no members), ASSIGNING (group epoch ahead of the target's epoch), RECONCILING (some member
 * not yet on the target), STABLE (every member has exactly its target at the target's epoch).
 */
final class ConsumerGroup {

    static final String TYPE = "consumer";

    enum State {
        EMPTY("Empty"), ASSIGNING("Assigning"), RECONCILING("Reconciling"), STABLE("Stable");

        private final String displayName;

        State(String displayName) {
            this.displayName = displayName;
        }

        String displayName() {
            return displayName;
        }
    }

    private final String groupId;
    private int groupEpoch;
    private int assignmentEpoch;
    private final Map<String, ConsumerGroupMember> members;
    private final Map<String, MemberAssignment> targetAssignment;
    /** The subscribed topics as resolved when the target was last computed; not persisted (a reload resolves again). */
    private Map<String, TopicMetadataView.TopicInfo> subscribedTopics;

    ConsumerGroup(String groupId) {
        this(groupId, 0, 0, new TreeMap<>(), new HashMap<>(), Map.of());
    }

    private ConsumerGroup(String groupId, int groupEpoch, int assignmentEpoch, Map<String, ConsumerGroupMember> members,
                          Map<String, MemberAssignment> targetAssignment, Map<String, TopicMetadataView.TopicInfo> subscribedTopics) {
        this.groupId = groupId;
        this.groupEpoch = groupEpoch;
        this.assignmentEpoch = assignmentEpoch;
        this.members = members;
        this.targetAssignment = targetAssignment;
        this.subscribedTopics = subscribedTopics;
    }

    ConsumerGroup copy() {
        return new ConsumerGroup(groupId, groupEpoch, assignmentEpoch, new TreeMap<>(members), new HashMap<>(targetAssignment), subscribedTopics);
    }

    String groupId() {
        return groupId;
    }

    int groupEpoch() {
        return groupEpoch;
    }

    int assignmentEpoch() {
        return assignmentEpoch;
    }

    void bumpGroupEpoch() {
        groupEpoch++;
    }

    void restoreEpochs(int groupEpoch, int assignmentEpoch) {
        this.groupEpoch = groupEpoch;
        this.assignmentEpoch = assignmentEpoch;
    }

    /** Members in member-id order; live view, mutate through {@link #putMember}/{@link #removeMember}. */
    Map<String, ConsumerGroupMember> members() {
        return members;
    }

    Optional<ConsumerGroupMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    void putMember(ConsumerGroupMember member) {
        members.put(member.memberId(), member);
    }

    void removeMember(String memberId) {
        members.remove(memberId);
        targetAssignment.remove(memberId);
    }

    MemberAssignment targetOf(String memberId) {
        return targetAssignment.getOrDefault(memberId, MemberAssignment.EMPTY);
    }

    Map<String, MemberAssignment> targetAssignment() {
        return targetAssignment;
    }

    void setTarget(int epoch, Map<String, MemberAssignment> target) {
        targetAssignment.clear();
        targetAssignment.putAll(target);
        assignmentEpoch = epoch;
    }

    Map<String, TopicMetadataView.TopicInfo> subscribedTopics() {
        return subscribedTopics;
    }

    void setSubscribedTopics(Map<String, TopicMetadataView.TopicInfo> topics) {
        subscribedTopics = Map.copyOf(topics);
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    State state() {
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return State.ASSIGNING;
        }
        for (ConsumerGroupMember member : members.values()) {
            if (member.memberEpoch() != assignmentEpoch || member.state() != ConsumerMemberState.STABLE) {
                return State.RECONCILING;
            }
        }
        return State.STABLE;
    }
}
