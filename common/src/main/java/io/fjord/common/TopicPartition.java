package io.fjord.common;

import java.util.Objects;

/** A topic name and a partition index; renders as {@code topic-partition}, the folder name on disk. */
public record TopicPartition(String topic, int partition) {

    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
