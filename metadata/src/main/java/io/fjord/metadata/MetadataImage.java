package io.fjord.metadata;

import io.fjord.common.Uuid;
import io.fjord.metadata.MetadataRecord.ConfigRecord;
import io.fjord.metadata.MetadataRecord.ConfigResourceType;
import io.fjord.metadata.MetadataRecord.PartitionRecord;
import io.fjord.metadata.MetadataRecord.ProducerIdsRecord;
import io.fjord.metadata.MetadataRecord.RemoveTopicRecord;
import io.fjord.metadata.MetadataRecord.TopicRecord;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable view of the cluster metadata at one offset of the metadata log: topics by name and
 * by id, and broker config overrides. {@link #apply} returns the image after one more record;
 * readers (Metadata, DescribeConfigs, ...) keep using the image they hold, so they need no lock.
 */
public final class MetadataImage {

    public static final MetadataImage EMPTY = new MetadataImage(-1, Map.of(), Map.of(), Map.of(), 0L);

    private final long offset;
    private final Map<String, TopicImage> topicsByName;
    private final Map<Uuid, TopicImage> topicsById;
    private final Map<String, String> brokerConfigs;
    private final long nextProducerId;

    private MetadataImage(long offset, Map<String, TopicImage> topicsByName, Map<Uuid, TopicImage> topicsById,
                          Map<String, String> brokerConfigs, long nextProducerId) {
        this.offset = offset;
        this.topicsByName = topicsByName;
        this.topicsById = topicsById;
        this.brokerConfigs = brokerConfigs;
        this.nextProducerId = nextProducerId;
    }

    /** The first producer id not yet handed out in a block. */
    public long nextProducerId() {
        return nextProducerId;
    }

    /** The metadata log offset of the last record applied, -1 for the empty image. */
    public long offset() {
        return offset;
    }

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    public Optional<TopicImage> topic(Uuid topicId) {
        return Optional.ofNullable(topicsById.get(topicId));
    }

    public Collection<TopicImage> topics() {
        return topicsByName.values();
    }

    public Map<String, String> brokerConfigs() {
        return brokerConfigs;
    }

    /** The image after applying {@code record}, which sits at {@code recordOffset} in the metadata log. */
    public MetadataImage apply(MetadataRecord record, long recordOffset) {
        Map<String, TopicImage> byName = new HashMap<>(topicsByName);
        Map<Uuid, TopicImage> byId = new HashMap<>(topicsById);
        Map<String, String> brokers = brokerConfigs;
        long producerIds = nextProducerId;
        switch (record) {
            case TopicRecord r -> put(byName, byId, new TopicImage(r.name(), r.topicId(), new TreeMap<>(), Map.of()));
            case PartitionRecord r -> {
                TopicImage topic = requireTopic(byId, r.topicId());
                TreeMap<Integer, PartitionImage> partitions = new TreeMap<>(topic.partitions());
                partitions.put(r.partitionId(), new PartitionImage(r.partitionId(), r.replicas(), r.isr(), r.leader(),
                        r.leaderEpoch(), r.partitionEpoch()));
                put(byName, byId, new TopicImage(topic.name(), topic.topicId(), partitions, topic.configs()));
            }
            case ConfigRecord r when r.resourceType() == ConfigResourceType.TOPIC -> {
                TopicImage topic = byName.get(r.resourceName());
                if (topic != null) {
                    put(byName, byId, new TopicImage(topic.name(), topic.topicId(), topic.partitions(),
                            withConfig(topic.configs(), r.name(), r.value())));
                }
            }
            case ConfigRecord r -> brokers = withConfig(brokers, r.name(), r.value());
            case RemoveTopicRecord r -> {
                TopicImage topic = byId.remove(r.topicId());
                if (topic != null) {
                    byName.remove(topic.name());
                }
            }
            case ProducerIdsRecord r -> producerIds = Math.max(producerIds, r.nextProducerId());
        }
        return new MetadataImage(recordOffset, Map.copyOf(byName), Map.copyOf(byId), brokers, producerIds);
    }

    private static TopicImage requireTopic(Map<Uuid, TopicImage> byId, Uuid topicId) {
        TopicImage topic = byId.get(topicId);
        if (topic == null) {
            throw new IllegalStateException("metadata log names unknown topic id " + topicId);
        }
        return topic;
    }

    private static void put(Map<String, TopicImage> byName, Map<Uuid, TopicImage> byId, TopicImage topic) {
        byName.put(topic.name(), topic);
        byId.put(topic.topicId(), topic);
    }

    private static Map<String, String> withConfig(Map<String, String> configs, String name, String value) {
        Map<String, String> copy = new HashMap<>(configs);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return Map.copyOf(copy);
    }
}
