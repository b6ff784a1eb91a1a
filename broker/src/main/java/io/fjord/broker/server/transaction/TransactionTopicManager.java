package io.fjord.broker.server.transaction;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.InternalTopic;
import io.fjord.broker.server.group.OffsetsTopicLog;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.transaction.TransactionCoordinator;
import io.fjord.coordinator.transaction.TransactionCoordinatorConfig;
import io.fjord.metadata.TopicImage;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Owns the transaction coordinator of this broker and the internal topic {@code __transaction_state}
 * it lives on: builds the coordinator's config from the broker's Kafka-named keys, creates the topic
 * (compacted, {@code transaction.state.log.num.partitions} partitions) the first time a client
 * looks for a transaction coordinator, and has the coordinator load (replay) its partitions: at
 * start-up when the topic exists, which also completes transactions left in PrepareCommit or
 * PrepareAbort, and right after creating it otherwise.
 *
 * <p>Thread-safe: {@link #ensureReady} may be called from any network thread; creation happens
 * once ({@link InternalTopic}). Created and closed by {@code FjordBroker}.
 */
public final class TransactionTopicManager implements AutoCloseable {

    public static final String TOPIC = "__transaction_state";

    private final TransactionCoordinator coordinator;
    private final InternalTopic topic;

    private TransactionTopicManager(BrokerContext broker, TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
        BrokerConfig config = broker.config();
        this.topic = new InternalTopic(broker, TOPIC, coordinator.config().transactionStateLogNumPartitions(),
                config.get(BrokerConfig.TRANSACTION_STATE_LOG_REPLICATION_FACTOR),
                config.get(BrokerConfig.TRANSACTION_STATE_LOG_SEGMENT_BYTES), "uncompressed",
                image -> coordinator.loadPartitions(leaderEpochs(broker, image)));
    }

    /** Builds the coordinator and starts it; loads {@code __transaction_state} if it exists. */
    public static TransactionTopicManager start(BrokerContext broker, OffsetsTopicManager groups) {
        Optional<TopicImage> existing = broker.controller().image().topic(TOPIC);
        // Kafka routes transactional ids by the partition count of the topic that exists, whatever the config says now.
        int partitions = existing.map(TopicImage::partitionCount).orElse(broker.config().get(BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS));
        TransactionCoordinator coordinator = new TransactionCoordinator(coordinatorConfig(broker.config(), partitions),
                OffsetsTopicLog.forTopic(broker.replicaManager(), TOPIC), broker.producerIds()::generateProducerId,
                new PartitionMarkerWriter(broker.replicaManager(), groups.coordinator()), broker.time());
        coordinator.start();
        TransactionTopicManager manager = new TransactionTopicManager(broker, coordinator);
        existing.ifPresent(manager.topic::loadExisting);
        return manager;
    }

    static TransactionCoordinatorConfig coordinatorConfig(BrokerConfig config, int partitions) {
        return TransactionCoordinatorConfig.builder()
                .transactionStateLogNumPartitions(partitions)
                .transactionMaxTimeoutMs(config.get(BrokerConfig.TRANSACTION_MAX_TIMEOUT_MS))
                .transactionalIdExpirationMs(config.get(BrokerConfig.TRANSACTIONAL_ID_EXPIRATION_MS))
                .abortTimedOutTransactionCleanupIntervalMs(config.get(BrokerConfig.TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS))
                .removeExpiredTransactionalIdCleanupIntervalMs(config.get(BrokerConfig.TRANSACTION_REMOVE_EXPIRED_TRANSACTION_CLEANUP_INTERVAL_MS))
                .build();
    }

    public TransactionCoordinator coordinator() {
        return coordinator;
    }

    /**
     * Makes sure {@code __transaction_state} exists and the coordinator has been asked to load it:
     * NONE when it has, COORDINATOR_NOT_AVAILABLE when the topic cannot be created.
     */
    public Errors ensureReady() {
        return topic.ensureReady();
    }

    /** Each partition loads with its leader epoch as the coordinator epoch written into markers. */
    private static Map<Integer, Integer> leaderEpochs(BrokerContext broker, TopicImage topic) {
        Map<Integer, Integer> epochs = new HashMap<>();
        for (int partition = 0; partition < topic.partitionCount(); partition++) {
            int epoch = broker.replicaManager().partition(new TopicPartition(TOPIC, partition))
                    .map(hosted -> hosted.leaderEpoch()).orElse(0);
            epochs.put(partition, epoch);
        }
        return epochs;
    }

    @Override
    public void close() {
        coordinator.close();
    }
}
