package io.fjord.coordinator.group;

import io.fjord.common.Uuid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable set of partitions keyed by topic id, the unit of KIP-848 assignments (a member's
 * assigned partitions, its partitions pending revocation, its target). Topics without partitions
 * are never kept, so two equal sets of partitions are {@code equals}.
 */
record MemberAssignment(SortedMap<Uuid, SortedSet<Integer>> partitions) {

    static final MemberAssignment EMPTY = new MemberAssignment(new TreeMap<>(uuidOrder()));

    static Comparator<Uuid> uuidOrder() {
        return Comparator.comparingLong(Uuid::mostSignificantBits).thenComparingLong(Uuid::leastSignificantBits);
    }

    public MemberAssignment {
        SortedMap<Uuid, SortedSet<Integer>> copy = new TreeMap<>(uuidOrder());
        for (Map.Entry<Uuid, SortedSet<Integer>> entry : partitions.entrySet()) {
            if (!entry.getValue().isEmpty()) {
                copy.put(entry.getKey(), Collections.unmodifiableSortedSet(new TreeSet<>(entry.getValue())));
            }
        }
        partitions = Collections.unmodifiableSortedMap(copy);
    }

    /** A builder-style view: partitions of {@code topics} as a mutable map, for assignors. */
    static MemberAssignment of(Map<Uuid, ? extends java.util.Collection<Integer>> topics) {
        SortedMap<Uuid, SortedSet<Integer>> copy = new TreeMap<>(uuidOrder());
        topics.forEach((id, set) -> copy.put(id, new TreeSet<>(set)));
        return new MemberAssignment(copy);
    }

    boolean isEmpty() {
        return partitions.isEmpty();
    }

    boolean contains(Uuid topicId, int partition) {
        SortedSet<Integer> set = partitions.get(topicId);
        return set != null && set.contains(partition);
    }

    int count() {
        int count = 0;
        for (SortedSet<Integer> set : partitions.values()) {
            count += set.size();
        }
        return count;
    }

    MemberAssignment union(MemberAssignment other) {
        Map<Uuid, SortedSet<Integer>> result = mutable();
        other.partitions.forEach((id, set) -> result.computeIfAbsent(id, k -> new TreeSet<>()).addAll(set));
        return of(result);
    }

    MemberAssignment minus(MemberAssignment other) {
        Map<Uuid, SortedSet<Integer>> result = mutable();
        other.partitions.forEach((id, set) -> {
            SortedSet<Integer> mine = result.get(id);
            if (mine != null) {
                mine.removeAll(set);
            }
        });
        return of(result);
    }

    MemberAssignment intersect(MemberAssignment other) {
        Map<Uuid, SortedSet<Integer>> result = mutable();
        result.forEach((id, set) -> set.retainAll(other.partitions.getOrDefault(id, Collections.emptySortedSet())));
        return of(result);
    }

    boolean isSubsetOf(MemberAssignment other) {
        return minus(other).isEmpty();
    }

    /** The partitions as (topic id, partition) pairs, in order. */
    List<Map.Entry<Uuid, Integer>> entries() {
        List<Map.Entry<Uuid, Integer>> entries = new ArrayList<>();
        partitions.forEach((id, set) -> set.forEach(p -> entries.add(Map.entry(id, p))));
        return entries;
    }

    private Map<Uuid, SortedSet<Integer>> mutable() {
        Map<Uuid, SortedSet<Integer>> result = new TreeMap<>(uuidOrder());
        partitions.forEach((id, set) -> result.put(id, new TreeSet<>(set)));
        return result;
    }
}
