package io.fjord.metadata;

import io.fjord.common.Uuid;

import java.util.List;

/**
 * A change to the cluster metadata, as stored in the metadata log ({@code __cluster_metadata-0})
 * and applied, in log order, to a {@link MetadataImage}. KRaft's names, Fjord's own encoding
 * ({@link MetadataRecordSerde}); the cluster milestone replicates the same log.
 */
public sealed interface MetadataRecord {

    /** A topic exists with this name and id. */
    record TopicRecord(String name, Uuid topicId) implements MetadataRecord {
    }

    /** A partition of a topic with its replicas, ISR, leader and epochs. */
    record PartitionRecord(Uuid topicId, int partitionId, List<Integer> replicas, List<Integer> isr,
                           int leader, int leaderEpoch, int partitionEpoch) implements MetadataRecord {
        public PartitionRecord {
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
        }
    }

    /** A dynamic config override; a null value removes the override. */
    record ConfigRecord(ConfigResourceType resourceType, String resourceName, String name, String value)
            implements MetadataRecord {
    }

    /** The topic with this id is gone, with all its partitions and configs. */
    record RemoveTopicRecord(Uuid topicId) implements MetadataRecord {
    }

    /** Producer ids below {@code nextProducerId} are taken (KRaft's ProducerIdsRecord). */
    record ProducerIdsRecord(int brokerId, long nextProducerId) implements MetadataRecord {
    }

    /** Kafka's config resource types, with Kafka's ids (DescribeConfigs ResourceType). */
    enum ConfigResourceType {
        TOPIC((byte) 2), BROKER((byte) 4);

        private final byte id;

        ConfigResourceType(byte id) {
            this.id = id;
        }

        public byte id() {
            return id;
        }

        public static ConfigResourceType forId(byte id) {
            for (ConfigResourceType type : values()) {
                if (type.id == id) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown config resource type " + id);
        }
    }
}
