package io.fjord.coordinator.group;

import io.fjord.common.Uuid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The "range" server-side assignor: for each topic, its subscribers in member-id order get
 * contiguous ranges of partitions, the first {@code partitions % members} one more. Members with the
 * same subscriptions therefore get the same partition numbers of every topic (co-partitioning).
 * Not sticky.
 */
final class RangeAssignor implements ConsumerGroupAssignor {

    static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, MemberAssignment> assign(SortedMap<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                                Map<String, MemberAssignment> previousTarget) {
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        subscriptions.keySet().forEach(member -> result.put(member, new TreeMap<>(MemberAssignment.uuidOrder())));
        for (Map.Entry<Uuid, Integer> topic : partitionCounts.entrySet()) {
            List<String> subscribers = new ArrayList<>();
            subscriptions.forEach((member, topics) -> {
                if (topics.contains(topic.getKey())) {
                    subscribers.add(member);
                }
            });
            if (subscribers.isEmpty()) {
                continue;
            }
            int perMember = topic.getValue() / subscribers.size();
            int extra = topic.getValue() % subscribers.size();
            for (int i = 0; i < subscribers.size(); i++) {
                int start = i * perMember + Math.min(i, extra);
                int length = perMember + (i < extra ? 1 : 0);
                Set<Integer> partitions = new TreeSet<>();
                for (int p = start; p < start + length; p++) {
                    partitions.add(p);
                }
                result.get(subscribers.get(i)).put(topic.getKey(), partitions);
            }
        }
        Map<String, MemberAssignment> targets = new HashMap<>();
        result.forEach((member, topics) -> targets.put(member, MemberAssignment.of(topics)));
        return targets;
    }
}
