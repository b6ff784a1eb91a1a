package io.fjord.broker.server;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.ClusterController;
import io.fjord.metadata.TopicImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An internal topic a coordinator keeps its state in ({@code __consumer_offsets},
 * {@code __transaction_state}; compacted, as Kafka creates them): created the first time a client looks for that coordinator, and
 * handed to the coordinator to load (replay) exactly once, at start-up when it already exists and
 * right after creating it otherwise.
 *
 * <p>Thread-safe: {@link #ensureReady} may be called from any network thread; creation and the load
 * request happen once, under this object's lock.
 */
public final class InternalTopic {

    private static final Logger LOG = LoggerFactory.getLogger(InternalTopic.class);

    private final BrokerContext broker;
    private final String name;
    private final int partitions;
    private final short replicationFactor;
    private final Map<String, String> configs;
    private final Consumer<TopicImage> load;
    private volatile boolean loadRequested;

    /**
     * @param partitions        partition count when this broker creates the topic
     * @param replicationFactor the configured factor; a single node holds one replica whatever it
     *                          says (Kafka would refuse until enough brokers exist)
     * @param compressionType   the topic's {@code compression.type}
     * @param load              asks the coordinator to load the topic's partitions; called once
     */
    public InternalTopic(BrokerContext broker, String name, int partitions, int replicationFactor, int segmentBytes,
                         String compressionType, Consumer<TopicImage> load) {
        this.broker = broker;
        this.name = name;
        this.partitions = partitions;
        this.replicationFactor = (short) Math.min(replicationFactor, 1);
        this.configs = Map.of(
                "cleanup.policy", "compact",
                "compression.type", compressionType,
                "segment.bytes", String.valueOf(segmentBytes));
        this.load = load;
    }

    private Optional<TopicImage> existing() {
        return broker.controller().image().topic(name);
    }

    /** At start-up, for a topic the caller found in the metadata image: has the coordinator load it. */
    public synchronized void loadExisting(TopicImage image) {
        if (!loadRequested) {
            requestLoad(image);
        }
    }

    /**
     * Makes sure the topic exists and the coordinator has been asked to load it: NONE when it has,
     * COORDINATOR_NOT_AVAILABLE when the topic cannot be created.
     */
    public Errors ensureReady() {
        if (loadRequested) {
            return Errors.NONE;
        }
        synchronized (this) {
            if (loadRequested) {
                return Errors.NONE;
            }
            Optional<TopicImage> topic = existing();
            if (topic.isEmpty()) {
                try {
                    topic = Optional.of(create());
                } catch (ApiException e) {
                    LOG.warn("Cannot create {}: {}", name, e.getMessage());
                    return Errors.COORDINATOR_NOT_AVAILABLE;
                }
            }
            requestLoad(topic.get());
            return Errors.NONE;
        }
    }

    private TopicImage create() {
        TopicImage topic = broker.controller().createTopic(new ClusterController.CreateTopicRequest(name, partitions,
                replicationFactor, Map.of(), configs), partitions, replicationFactor, false);
        LOG.info("Created {} with {} partitions", name, partitions);
        return topic;
    }

    private void requestLoad(TopicImage topic) {
        loadRequested = true;
        load.accept(topic);
    }
}
