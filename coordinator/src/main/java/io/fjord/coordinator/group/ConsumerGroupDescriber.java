package io.fjord.coordinator.group;

import io.fjord.protocol.message.ConsumerGroupDescribeResponseData;
import io.fjord.protocol.message.ConsumerGroupDescribeResponseData.DescribedGroup;

import java.util.ArrayList;

/**
 * ConsumerGroupDescribe's answer for one KIP-848 group: epochs, the assignor, and every member with
 * its current and target assignment, topics named from the metadata image. Called on the coordinator thread.
 */
final class ConsumerGroupDescriber {

    /** ConsumerGroupDescribe v1 MemberType: the member speaks the consumer (KIP-848) protocol. */
    static final byte CONSUMER_MEMBER_TYPE = 1;

    private ConsumerGroupDescriber() {
    }

    static DescribedGroup describe(ConsumerGroup group, DescribedGroup described, TopicMetadataView topics) {
        described.setGroupState(group.state().displayName()).setGroupEpoch(group.groupEpoch())
                .setAssignmentEpoch(group.assignmentEpoch()).setAssignorName(ConsumerGroupManager.assignorName(group));
        for (ConsumerGroupMember member : group.members().values()) {
            ConsumerGroupMember.Subscription subscription = member.subscription();
            described.members().add(new ConsumerGroupDescribeResponseData.Member().setMemberId(member.memberId())
                    .setInstanceId(subscription.instanceId().orElse(null)).setRackId(subscription.rackId().orElse(null))
                    .setMemberEpoch(member.memberEpoch()).setClientId(subscription.clientId()).setClientHost(subscription.clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(subscription.topicNames()))
                    .setSubscribedTopicRegex(subscription.topicRegex().orElse(null))
                    .setAssignment(assignment(member.assigned(), topics))
                    .setTargetAssignment(assignment(group.targetOf(member.memberId()), topics))
                    .setMemberType(CONSUMER_MEMBER_TYPE));
        }
        return described;
    }

    private static ConsumerGroupDescribeResponseData.Assignment assignment(MemberAssignment partitions, TopicMetadataView topics) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        partitions.partitions().forEach((topicId, set) -> {
            // A topic deleted since it was assigned has no name any more; Kafka leaves it out as well.
            topics.topic(topicId).ifPresent(topic -> assignment.topicPartitions().add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                    .setTopicId(topicId).setTopicName(topic.name()).setPartitions(new ArrayList<>(set))));
        });
        return assignment;
    }
}
