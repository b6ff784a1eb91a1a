package io.fjord.perf.client;

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
}
