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

    // equals and hashCode written out, as in Uuid: the generated ones cost start-up a method-handle bootstrap.
    @Override
    public boolean equals(Object other) {
        return other instanceof TopicPartition that && partition == that.partition && topic.equals(that.topic);
    }

    @Override
    public int hashCode() {
        return 31 * topic.hashCode() + partition;
    }
}
