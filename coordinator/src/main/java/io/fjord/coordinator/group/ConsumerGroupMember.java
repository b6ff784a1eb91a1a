package io.fjord.coordinator.group;

import java.util.List;
import java.util.Optional;

/**
 * One member of a KIP-848 consumer group, immutable: who it is and what it subscribes to, and where
 * its reconciliation stands. A heartbeat produces a new value; {@link ConsumerGroupManager} swaps it in.
 *
 * @param memberId             the member id (client-generated from ConsumerGroupHeartbeat v1)
 * @param memberEpoch          the epoch of the assignment the member is on
 * @param previousMemberEpoch  the epoch before the last bump: a heartbeat carrying it is still accepted
 *                             when its response with the bump was lost (Kafka's rule)
 * @param state                see {@link ConsumerMemberState}
 * @param subscription         what the member sent
 * @param assigned             partitions the member owns and may consume
 * @param pendingRevocation    partitions the member must give up; nobody else gets them until it does
 */
record ConsumerGroupMember(String memberId, int memberEpoch, int previousMemberEpoch, ConsumerMemberState state,
                           Subscription subscription, MemberAssignment assigned, MemberAssignment pendingRevocation) {

    /** What the member tells about itself; absent values are empty {@link Optional}s, never null. */
    record Subscription(Optional<String> instanceId, Optional<String> rackId, String clientId, String clientHost,
                        int rebalanceTimeoutMs, List<String> topicNames, Optional<String> serverAssignor,
                        Optional<String> topicRegex) {
        public Subscription {
            topicNames = List.copyOf(topicNames);
        }

        /** The topics this member subscribes to among {@code known}: its names plus the non-internal names its regex matches. */
        java.util.Set<String> subscribedAmong(java.util.Collection<String> known) {
            java.util.Set<String> subscribed = new java.util.TreeSet<>(topicNames);
            if (topicRegex.isPresent()) {
                java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(topicRegex.get());
                for (String name : known) {
                    // KIP-848: internal topics never match a regex subscription.
                    if (!name.startsWith("__") && pattern.matcher(name).matches()) {
                        subscribed.add(name);
                    }
                }
            }
            return subscribed;
        }
    }

    static ConsumerGroupMember joining(String memberId, Subscription subscription) {
        return new ConsumerGroupMember(memberId, 0, 0, ConsumerMemberState.STABLE, subscription, MemberAssignment.EMPTY,
                MemberAssignment.EMPTY);
    }

    ConsumerGroupMember withSubscription(Subscription updated) {
        return new ConsumerGroupMember(memberId, memberEpoch, previousMemberEpoch, state, updated, assigned, pendingRevocation);
    }

    /** Everything the member may still hold: what it owns plus what it has yet to revoke. */
    MemberAssignment held() {
        return assigned.union(pendingRevocation);
    }
}
