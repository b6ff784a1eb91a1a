package io.fjord.metadata;

import io.fjord.common.Uuid;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.MetadataRecord.ConfigRecord;
import io.fjord.metadata.MetadataRecord.ConfigResourceType;
import io.fjord.metadata.MetadataRecord.PartitionRecord;
import io.fjord.metadata.MetadataRecord.RemoveTopicRecord;
import io.fjord.metadata.MetadataRecord.TopicRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The controller of a single-node cluster: validates topic and config changes, turns them into
 * {@link MetadataRecord}s, persists them through the {@link MetadataLog} port and publishes the new
 * {@link MetadataImage}. Callers are the broker's admin handlers (CreateTopics, DeleteTopics,
 * CreatePartitions, AlterConfigs...) and auto-creation from Metadata and Produce.
 *
 * <p>Threading: every mutation holds the controller's lock, so the log order is the image order;
 * {@link #image()} is a volatile read for lock-free readers. Lifecycle: construct, {@link #load()}
 * once (replays the metadata log), then serve.
 *
 * <p>Errors are {@link ApiException}s carrying Kafka's codes (TOPIC_ALREADY_EXISTS,
 * INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG, ...), which
 * the handlers put into their per-topic results.
 */
public final class ClusterController {

    /** Producer ids reserved per metadata record; Kafka uses blocks of 1000 as well. */
    public static final int PRODUCER_ID_BLOCK_SIZE = 1000;

    /** Kafka's limit: a topic name plus partition suffix must fit a file name. */
    public static final int MAX_TOPIC_NAME_LENGTH = 249;
    private static final Pattern LEGAL_TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

    private final int nodeId;
    private final MetadataLog log;
    private final TopicConfigValidator configValidator;
    private final RandomGenerator random;
    private final List<MetadataListener> listeners = new ArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    public ClusterController(int nodeId, MetadataLog log, TopicConfigValidator configValidator, RandomGenerator random) {
        this.nodeId = nodeId;
        this.log = Objects.requireNonNull(log, "log");
        this.configValidator = Objects.requireNonNull(configValidator, "configValidator");
        this.random = Objects.requireNonNull(random, "random");
    }

    public synchronized void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    /** Replays the metadata log into the image; the listeners see one change holding every record. */
    public synchronized void load() {
        List<MetadataRecord> replayed = new ArrayList<>();
        long[] firstOffset = {-1};
        log.replay((record, offset) -> {
            if (firstOffset[0] < 0) {
                firstOffset[0] = offset;
            }
            replayed.add(record);
        });
        // Offsets in the metadata log are contiguous from its start; one batch apply builds the image.
        publish(replayed, MetadataImage.EMPTY.applyAll(replayed, Math.max(0, firstOffset[0])));
    }

    public MetadataImage image() {
        return image;
    }

    public int nodeId() {
        return nodeId;
    }

    /** What a CreateTopics entry asks for; -1 partitions or replication factor means the default. */
    public record CreateTopicRequest(String name, int numPartitions, short replicationFactor,
                                     Map<Integer, List<Integer>> assignments, Map<String, String> configs) {
    }

    /**
     * Creates a topic, or only checks that it could be created when {@code validateOnly}. Returns the
     * topic as it is (or would be) in the image.
     */
    public synchronized TopicImage createTopic(CreateTopicRequest request, int defaultPartitions,
                                               short defaultReplicationFactor, boolean validateOnly) {
        String name = request.name();
        checkTopicName(name);
        if (image.topic(name).isPresent()) {
            throw new ApiException(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        checkNoCollision(name);
        Map<Integer, List<Integer>> assignments = assignments(request, defaultPartitions, defaultReplicationFactor);
        configValidator.validate(request.configs());

        Uuid topicId = Uuid.random(random);
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new TopicRecord(name, topicId));
        assignments.forEach((partition, replicas) ->
                records.add(new PartitionRecord(topicId, partition, replicas, replicas, replicas.get(0), 0, 0)));
        request.configs().forEach((key, value) ->
                records.add(new ConfigRecord(ConfigResourceType.TOPIC, name, key, value)));
        if (validateOnly) {
            return image.applyAll(records, image.offset() + 1).topic(name).orElseThrow();
        }
        commit(records);
        return image.topic(name).orElseThrow();
    }

    public synchronized void deleteTopic(Uuid topicId) {
        TopicImage topic = image.topic(topicId).orElseThrow(() ->
                new ApiException(Errors.UNKNOWN_TOPIC_ID, "This server does not host topic id " + topicId + "."));
        commit(List.of(new RemoveTopicRecord(topic.topicId())));
    }

    /** Grows a topic to {@code totalCount} partitions (CreatePartitions). */
    public synchronized TopicImage createPartitions(String name, int totalCount, List<List<Integer>> newAssignments,
                                                    boolean validateOnly) {
        TopicImage topic = image.topic(name).orElseThrow(() -> new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "This server does not host this topic: " + name));
        int current = topic.partitionCount();
        if (totalCount < current) {
            throw new ApiException(Errors.INVALID_PARTITIONS, "Topic currently has " + current
                    + " partitions, which is higher than the requested " + totalCount + ".");
        }
        if (totalCount == current) {
            throw new ApiException(Errors.INVALID_PARTITIONS, "Topic already has " + current + " partitions.");
        }
        if (newAssignments != null && !newAssignments.isEmpty() && newAssignments.size() != totalCount - current) {
            throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "Increasing the number of partitions by "
                    + (totalCount - current) + " but " + newAssignments.size() + " assignments provided.");
        }
        List<MetadataRecord> records = new ArrayList<>();
        for (int partition = current; partition < totalCount; partition++) {
            List<Integer> replicas = newAssignments == null || newAssignments.isEmpty()
                    ? List.of(nodeId) : newAssignments.get(partition - current);
            checkReplicas(replicas);
            records.add(new PartitionRecord(topic.topicId(), partition, replicas, replicas, replicas.get(0), 0, 0));
        }
        if (!validateOnly) {
            commit(records);
        }
        return image.topic(name).orElseThrow();
    }

    /**
     * Applies config changes to a topic: a present value sets the key, an empty Optional removes
     * the override. {@code replaceAll} (legacy AlterConfigs) drops every override not named.
     */
    public synchronized void alterTopicConfigs(String name, Map<String, Optional<String>> changes, boolean replaceAll,
                                               boolean validateOnly) {
        TopicImage topic = image.topic(name).orElseThrow(() -> new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "This server does not host this topic: " + name));
        Map<String, String> result = replaceAll ? new HashMap<>() : new HashMap<>(topic.configs());
        changes.forEach((key, value) -> {
            if (value.isPresent()) {
                result.put(key, value.get());
            } else {
                result.remove(key);
            }
        });
        configValidator.validate(result);
        List<MetadataRecord> records = new ArrayList<>();
        for (String key : topic.configs().keySet()) {
            if (!result.containsKey(key)) {
                records.add(new ConfigRecord(ConfigResourceType.TOPIC, name, key, null));
            }
        }
        result.forEach((key, value) -> {
            if (!value.equals(topic.configs().get(key))) {
                records.add(new ConfigRecord(ConfigResourceType.TOPIC, name, key, value));
            }
        });
        if (!validateOnly && !records.isEmpty()) {
            commit(records);
        }
    }

    private Map<Integer, List<Integer>> assignments(CreateTopicRequest request, int defaultPartitions,
                                                    short defaultReplicationFactor) {
        Map<Integer, List<Integer>> assignments = new java.util.TreeMap<>();
        if (request.assignments() != null && !request.assignments().isEmpty()) {
            if (request.numPartitions() != -1 || request.replicationFactor() != -1) {
                throw new ApiException(Errors.INVALID_REQUEST,
                        "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
            for (int partition = 0; partition < request.assignments().size(); partition++) {
                List<Integer> replicas = request.assignments().get(partition);
                if (replicas == null) {
                    throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT,
                            "Partitions must be numbered 0 to " + (request.assignments().size() - 1) + " without gaps.");
                }
                checkReplicas(replicas);
                assignments.put(partition, List.copyOf(replicas));
            }
            return assignments;
        }
        int partitions = request.numPartitions() == -1 ? defaultPartitions : request.numPartitions();
        short replicationFactor = request.replicationFactor() == -1 ? defaultReplicationFactor : request.replicationFactor();
        if (partitions <= 0) {
            throw new ApiException(Errors.INVALID_PARTITIONS, "Number of partitions was set to an invalid non-positive value.");
        }
        if (replicationFactor <= 0) {
            throw new ApiException(Errors.INVALID_REPLICATION_FACTOR,
                    "Replication factor must be larger than 0, or -1 to use the default value.");
        }
        if (replicationFactor > 1) {
            throw new ApiException(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                    + replicationFactor + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only 1 broker(s) are registered.");
        }
        for (int partition = 0; partition < partitions; partition++) {
            assignments.put(partition, List.of(nodeId));
        }
        return assignments;
    }

    /** Reserves {@code size} producer ids durably; returns the first one. */
    public synchronized long allocateProducerIdBlock(int size) {
        long start = image.nextProducerId();
        commit(List.of(new MetadataRecord.ProducerIdsRecord(nodeId, start + size)));
        return start;
    }

    private void checkReplicas(List<Integer> replicas) {
        if (replicas.isEmpty()) {
            throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes an empty replica list.");
        }
        for (int replica : replicas) {
            if (replica != nodeId) {
                throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker "
                        + replica + ", but no such broker is registered.");
            }
        }
        if (replicas.size() > 1) {
            throw new ApiException(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes the broker "
                    + nodeId + " more than once.");
        }
    }

    /** Kafka's topic name rules (org.apache.kafka.common.internals.Topic.validate). */
    public static void checkTopicName(String name) {
        if (name == null || name.isEmpty()) {
            throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is illegal, it can't be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION, "Topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_TOPIC_NAME_LENGTH) {
            throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is illegal, it can't be longer than "
                    + MAX_TOPIC_NAME_LENGTH + " characters, topic name: " + name);
        }
        if (!LEGAL_TOPIC_NAME.matcher(name).matches()) {
            throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION, "Topic name \"" + name
                    + "\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'");
        }
    }

    /** Kafka forbids names that differ only in '.' versus '_' (they collide in metric names). */
    private void checkNoCollision(String name) {
        String normalized = name.replace('.', '_');
        for (TopicImage topic : image.topics()) {
            if (topic.name().replace('.', '_').equals(normalized)) {
                throw new ApiException(Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + name
                        + "' collides with existing topic: " + topic.name());
            }
        }
    }

    private void commit(List<MetadataRecord> records) {
        long lastOffset = log.append(records);
        publish(records, image.applyAll(records, lastOffset - records.size() + 1));
    }

    private void publish(List<MetadataRecord> records, MetadataImage next) {
        MetadataImage previous = image;
        image = next;
        for (MetadataListener listener : listeners) {
            listener.onMetadataChanged(previous, next, records);
        }
    }
}
