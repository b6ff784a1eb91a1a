package io.fjord.broker.server.group;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.InternalTopic;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.group.GroupCoordinator;
import io.fjord.coordinator.group.GroupCoordinatorConfig;
import io.fjord.metadata.TopicImage;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Owns the group coordinator of this broker and the internal topic {@code __consumer_offsets} it
 * lives on: builds the coordinator's config from the broker's Kafka-named keys, creates the topic
 * (compacted, {@code offsets.topic.num.partitions} partitions) the first time a client looks for a
 * group coordinator, and has the coordinator load (replay) its partitions, at start-up when the
 * topic already exists and right after creating it otherwise.
 *
 * <p>Thread-safe: {@link #ensureReady} may be called from any network thread; creation happens
 * once ({@link InternalTopic}). Created and closed by {@code FjordBroker}.
 */
public final class OffsetsTopicManager implements AutoCloseable {

    private final GroupCoordinator coordinator;
    private final InternalTopic topic;

    private OffsetsTopicManager(BrokerContext broker, GroupCoordinator coordinator) {
        this.coordinator = coordinator;
        BrokerConfig config = broker.config();
        this.topic = new InternalTopic(broker, OffsetsTopicLog.TOPIC, coordinator.config().offsetsTopicNumPartitions(),
                config.get(BrokerConfig.OFFSETS_TOPIC_REPLICATION_FACTOR),
                config.get(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES), "producer",
                image -> coordinator.loadPartitions(allPartitions(image.partitionCount())));
    }

    /** Builds the coordinator and starts it; loads {@code __consumer_offsets} if it exists. */
    public static OffsetsTopicManager start(BrokerContext broker) {
        Optional<TopicImage> existing = broker.controller().image().topic(OffsetsTopicLog.TOPIC);
        // Kafka routes groups by the partition count of the topic that exists, whatever the config says now.
        int partitions = existing.map(TopicImage::partitionCount).orElse(broker.config().get(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS));
        GroupCoordinator coordinator = new GroupCoordinator(coordinatorConfig(broker.config(), partitions),
                new OffsetsTopicLog(broker.replicaManager()), broker.time(), new SplittableRandom(new SecureRandom().nextLong()));
        coordinator.start();
        OffsetsTopicManager manager = new OffsetsTopicManager(broker, coordinator);
        existing.ifPresent(manager.topic::loadExisting);
        return manager;
    }

    static GroupCoordinatorConfig coordinatorConfig(BrokerConfig config, int partitions) {
        return GroupCoordinatorConfig.builder()
                .offsetsTopicNumPartitions(partitions)
                .groupMinSessionTimeoutMs(config.get(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS))
                .groupMaxSessionTimeoutMs(config.get(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS))
                .groupInitialRebalanceDelayMs(config.get(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS))
                .groupMaxSize(config.get(BrokerConfig.GROUP_MAX_SIZE))
                .offsetMetadataMaxBytes(config.get(BrokerConfig.OFFSET_METADATA_MAX_BYTES))
                .offsetsRetentionMs(config.get(BrokerConfig.OFFSETS_RETENTION_MINUTES) * 60_000L)
                .offsetsRetentionCheckIntervalMs(config.get(BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS))
                .consumerGroupHeartbeatIntervalMs(config.get(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS))
                .consumerGroupSessionTimeoutMs(config.get(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS))
                .build();
    }

    public GroupCoordinator coordinator() {
        return coordinator;
    }

    /**
     * Makes sure {@code __consumer_offsets} exists and the coordinator has been asked to load it:
     * NONE when it has, COORDINATOR_NOT_AVAILABLE when the topic cannot be created.
     */
    public Errors ensureReady() {
        return topic.ensureReady();
    }

    private static List<Integer> allPartitions(int partitionCount) {
        List<Integer> partitions = new ArrayList<>(partitionCount);
        for (int partition = 0; partition < partitionCount; partition++) {
            partitions.add(partition);
        }
        return partitions;
    }

    @Override
    public void close() {
        coordinator.close();
    }
}
