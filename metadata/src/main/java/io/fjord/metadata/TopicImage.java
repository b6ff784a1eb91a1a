package io.fjord.metadata;

import io.fjord.common.Uuid;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Collections;

/**
 * A topic in the metadata image: name, id, partitions by index and its config overrides (only
 * the keys set explicitly; defaults come from the broker config). Immutable.
 */
public record TopicImage(String name, Uuid topicId, SortedMap<Integer, PartitionImage> partitions,
                         Map<String, String> configs) {

    public TopicImage {
        partitions = Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
        configs = Map.copyOf(configs);
    }

    public int partitionCount() {
        return partitions.size();
    }
}
