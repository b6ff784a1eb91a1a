package io.fjord.coordinator.group;

import io.fjord.common.Uuid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The "uniform" server-side assignor (Kafka's default): spreads all subscribed partitions evenly
 * over the members and is sticky: a member keeps the partitions of its previous target as long as
 * it stays subscribed and under its quota, which keeps revocations to a minimum.
 *
 * <p>Quotas: with P partitions and N members, every member may keep {@code P / N}, and the
 * {@code P % N} members that kept the most may keep one more. Partitions nobody kept go, one at a
 * time, to the subscribed member with the fewest partitions (ties: lowest member id). With
 * heterogeneous subscriptions the result is balanced per eligible member greedily, not optimally
 * (Kafka's uniform assignor uses a more elaborate heterogeneous algorithm).
 */
final class UniformAssignor implements ConsumerGroupAssignor {

    static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, MemberAssignment> assign(SortedMap<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                                Map<String, MemberAssignment> previousTarget) {
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        subscriptions.keySet().forEach(member -> {
            result.put(member, new TreeMap<>(MemberAssignment.uuidOrder()));
            counts.put(member, 0);
        });
        int total = 0;
        for (Map.Entry<Uuid, Integer> topic : partitionCounts.entrySet()) {
            if (subscriptions.values().stream().anyMatch(topics -> topics.contains(topic.getKey()))) {
                total += topic.getValue();
            }
        }
        int active = (int) subscriptions.values().stream().filter(topics -> !topics.isEmpty()).count();
        if (active == 0) {
            return toTargets(result);
        }
        Set<String> taken = keepPrevious(subscriptions, partitionCounts, previousTarget, total / active, total % active, result, counts);
        assignRemaining(subscriptions, partitionCounts, taken, result, counts);
        return toTargets(result);
    }

    /** Keeps each member's previous partitions up to its quota; returns the kept partitions as "id:p" keys. */
    private static Set<String> keepPrevious(SortedMap<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                            Map<String, MemberAssignment> previousTarget, int minQuota, int extras,
                                            Map<String, Map<Uuid, Set<Integer>>> result, Map<String, Integer> counts) {
        Map<String, List<Map.Entry<Uuid, Integer>>> keepable = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Set<Uuid>> member : subscriptions.entrySet()) {
            List<Map.Entry<Uuid, Integer>> kept = new ArrayList<>();
            for (Map.Entry<Uuid, Integer> tp : previousTarget.getOrDefault(member.getKey(), MemberAssignment.EMPTY).entries()) {
                Integer count = partitionCounts.get(tp.getKey());
                if (count != null && tp.getValue() < count && member.getValue().contains(tp.getKey()) && seen.add(key(tp))) {
                    kept.add(tp);
                }
            }
            keepable.put(member.getKey(), kept);
        }
        List<String> byKept = new ArrayList<>(keepable.keySet());
        byKept.sort(Comparator.comparingInt((String m) -> -keepable.get(m).size()).thenComparing(m -> m));
        Set<String> taken = new HashSet<>();
        int extrasLeft = extras;
        for (String member : byKept) {
            List<Map.Entry<Uuid, Integer>> kept = keepable.get(member);
            int quota = minQuota;
            if (extrasLeft > 0 && kept.size() > minQuota) {
                quota++;
                extrasLeft--;
            }
            for (Map.Entry<Uuid, Integer> tp : kept.subList(0, Math.min(quota, kept.size()))) {
                result.get(member).computeIfAbsent(tp.getKey(), id -> new TreeSet<>()).add(tp.getValue());
                counts.merge(member, 1, Integer::sum);
                taken.add(key(tp));
            }
        }
        return taken;
    }

    private static void assignRemaining(SortedMap<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts, Set<String> taken,
                                        Map<String, Map<Uuid, Set<Integer>>> result, Map<String, Integer> counts) {
        List<Uuid> topics = new ArrayList<>(partitionCounts.keySet());
        topics.sort(MemberAssignment.uuidOrder());
        for (Uuid topicId : topics) {
            for (int partition = 0; partition < partitionCounts.get(topicId); partition++) {
                if (taken.contains(key(Map.entry(topicId, partition)))) {
                    continue;
                }
                String best = null;
                for (Map.Entry<String, Set<Uuid>> member : subscriptions.entrySet()) {
                    if (member.getValue().contains(topicId) && (best == null || counts.get(member.getKey()) < counts.get(best))) {
                        best = member.getKey();
                    }
                }
                if (best != null) {
                    result.get(best).computeIfAbsent(topicId, id -> new TreeSet<>()).add(partition);
                    counts.merge(best, 1, Integer::sum);
                }
            }
        }
    }

    private static String key(Map.Entry<Uuid, Integer> tp) {
        return tp.getKey() + ":" + tp.getValue();
    }

    private static Map<String, MemberAssignment> toTargets(Map<String, Map<Uuid, Set<Integer>>> result) {
        Map<String, MemberAssignment> targets = new HashMap<>();
        result.forEach((member, topics) -> targets.put(member, MemberAssignment.of(topics)));
        return targets;
    }
}
