package io.fjord.coordinator.group;

import io.fjord.common.Uuid;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Moves one member a step towards its target assignment (Kafka's {@code CurrentAssignmentBuilder}),
 * following the transitions in {@link ConsumerMemberState}'s class doc. The rule that makes the
 * protocol safe: a partition is given to a member only when no other member holds it, assigned or
 * pending revocation, so two consumers never own the same partition. Pure: returns the new member.
 */
final class ConsumerGroupReconciler {

    private ConsumerGroupReconciler() {
    }

    /**
     * @param member       the member as it is now
     * @param targetEpoch  the epoch of the group's current target assignment
     * @param target       the member's target at that epoch
     * @param owned        the partitions the member reported owning in this heartbeat; empty when it did not say
     * @param otherOwners  topic id -> partition -> member id, for partitions held by the other members
     */
    static ConsumerGroupMember reconcile(ConsumerGroupMember member, int targetEpoch, MemberAssignment target,
                                         Optional<MemberAssignment> owned, Map<Uuid, Map<Integer, String>> otherOwners) {
        return switch (member.state()) {
            case STABLE -> member.memberEpoch() == targetEpoch && member.assigned().equals(target) ? member
                    : computeNext(member, targetEpoch, target, otherOwners);
            case UNREVOKED_PARTITIONS -> {
                // Until the member reports the revoked partitions gone, it keeps them and nobody else gets them.
                boolean stillOwns = owned.map(o -> !o.intersect(member.pendingRevocation()).isEmpty()).orElse(true);
                yield stillOwns ? member : computeNext(member, targetEpoch, target, otherOwners);
            }
            case UNRELEASED_PARTITIONS -> computeNext(member, targetEpoch, target, otherOwners);
        };
    }

    private static ConsumerGroupMember computeNext(ConsumerGroupMember member, int targetEpoch, MemberAssignment target,
                                                   Map<Uuid, Map<Integer, String>> otherOwners) {
        MemberAssignment current = member.assigned();
        MemberAssignment kept = current.intersect(target);
        MemberAssignment toRevoke = current.minus(target);
        if (!toRevoke.isEmpty()) {
            // Revoke first, at the same epoch: the member gets nothing new until it has let these go.
            return new ConsumerGroupMember(member.memberId(), member.memberEpoch(), member.previousMemberEpoch(),
                    ConsumerMemberState.UNREVOKED_PARTITIONS, member.subscription(), kept, toRevoke);
        }
        Map<Uuid, Set<Integer>> granted = new HashMap<>();
        kept.partitions().forEach((id, set) -> granted.put(id, new TreeSet<>(set)));
        boolean unreleased = false;
        for (Map.Entry<Uuid, Integer> tp : target.minus(current).entries()) {
            Map<Integer, String> owners = otherOwners.get(tp.getKey());
            if (owners != null && owners.containsKey(tp.getValue())) {
                unreleased = true;
            } else {
                granted.computeIfAbsent(tp.getKey(), id -> new TreeSet<>()).add(tp.getValue());
            }
        }
        ConsumerMemberState state = unreleased ? ConsumerMemberState.UNRELEASED_PARTITIONS : ConsumerMemberState.STABLE;
        int previousEpoch = member.memberEpoch() == targetEpoch ? member.previousMemberEpoch() : member.memberEpoch();
        return new ConsumerGroupMember(member.memberId(), targetEpoch, previousEpoch, state, member.subscription(),
                MemberAssignment.of(granted), MemberAssignment.EMPTY);
    }
}
