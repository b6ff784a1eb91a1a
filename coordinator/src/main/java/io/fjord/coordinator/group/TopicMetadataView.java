package io.fjord.coordinator.group;

import io.fjord.common.Uuid;

import java.util.Optional;

/**
 * What the KIP-848 consumer group coordinator needs to know about topics: their ids and partition
 * counts, by name (to resolve subscriptions) and by id (to name assignments in ConsumerGroupDescribe).
 * The broker implements it on its metadata image; tests use a map. Must be safe to call from the
 * coordinator's event-loop thread (the broker's image is an immutable snapshot).
 */
public interface TopicMetadataView {

    /** One topic as the assignors see it. */
    record TopicInfo(Uuid topicId, String name, int partitionCount) {
    }

    Optional<TopicInfo> topic(String name);

    Optional<TopicInfo> topic(Uuid topicId);

    /** Every topic name, for regex subscriptions (KIP-848 SubscribedTopicRegex). */
    default java.util.Collection<String> allTopicNames() {
        return java.util.List.of();
    }
}
