package io.fjord.coordinator.group;

import io.fjord.common.Uuid;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * A KIP-848 server-side assignor: from the members' subscriptions (by topic id) and the topics'
 * partition counts, computes each member's target assignment. Pure and deterministic (members are
 * given in member-id order), so the same input always gives the same target.
 */
sealed interface ConsumerGroupAssignor permits UniformAssignor, RangeAssignor {

    /** The assignor members get when they name none (Kafka's default, first of {@code group.consumer.assignors}). */
    String DEFAULT_NAME = UniformAssignor.NAME;

    String name();

    /**
     * @param subscriptions  member id -> subscribed topic ids that exist, in member-id order
     * @param partitionCounts topic id -> number of partitions, for every subscribed topic
     * @param previousTarget the previous target by member id; a sticky assignor keeps what it can
     * @return a target for every member of {@code subscriptions} (possibly empty)
     */
    Map<String, MemberAssignment> assign(SortedMap<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                         Map<String, MemberAssignment> previousTarget);

    static Optional<ConsumerGroupAssignor> byName(String name) {
        return switch (name) {
            case UniformAssignor.NAME -> Optional.of(new UniformAssignor());
            case RangeAssignor.NAME -> Optional.of(new RangeAssignor());
            default -> Optional.empty();
        };
    }
}
