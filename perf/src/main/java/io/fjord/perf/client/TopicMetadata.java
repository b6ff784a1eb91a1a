package io.fjord.perf.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Metadata answer says about one topic: the leader of each partition (index = partition)
 * and the address of every broker named as a leader. Immutable.
 */
public record TopicMetadata(String topic, List<Integer> leaders, Map<Integer, String> brokerAddresses) {

    public TopicMetadata {
        leaders = List.copyOf(leaders);
        brokerAddresses = Map.copyOf(brokerAddresses);
    }

    public int partitionCount() {
        return leaders.size();
    }

    public int leaderOf(int partition) {
        return leaders.get(partition);
    }

    /** The topic's partitions grouped by leader, leaders in order of first appearance, partitions ascending. */
    public Map<Integer, int[]> partitionsByLeader() {
        Map<Integer, List<Integer>> byLeader = new LinkedHashMap<>();
        for (int partition = 0; partition < partitionCount(); partition++) {
            byLeader.computeIfAbsent(leaderOf(partition), k -> new ArrayList<>()).add(partition);
        }
        Map<Integer, int[]> result = new LinkedHashMap<>();
        byLeader.forEach((leader, partitions) -> result.put(leader, partitions.stream().mapToInt(Integer::intValue).toArray()));
        return result;
    }
}
