package io.fjord.broker.handler;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.config.Endpoint;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.Uuid;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.ClusterController;
import io.fjord.metadata.MetadataImage;
import io.fjord.metadata.PartitionImage;
import io.fjord.metadata.TopicImage;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Metadata (key 3), versions 0-12: brokers (this node, at the advertised address of the listener
 * the request came in on), the cluster id, the controller, and topics with real topic ids, leader
 * epochs, replicas and ISR. Unknown topics are created when the request allows it (v4+ flag; always
 * before v4) and {@code auto.create.topics.enable} is on. Unlike Kafka, which answers
 * LEADER_NOT_AVAILABLE and makes the client ask again, Fjord creates the topic synchronously and
 * returns it ready for use in the same response.
 */
public final class MetadataHandler implements ApiHandler {

    /** Topic operations a client may perform when no authorizer is configured (AclOperation codes 3-8, 10, 11). */
    static final int ALL_TOPIC_OPERATIONS = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 10) | (1 << 11);
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;
    private static final java.util.Set<String> INTERNAL_TOPICS = java.util.Set.of("__consumer_offsets", "__transaction_state");

    private final BrokerContext broker;

    public MetadataHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.METADATA;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 12;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        MetadataRequestData request = (MetadataRequestData) message;
        short version = context.apiVersion();
        Endpoint advertised = broker.advertisedFor(context.listener());
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(broker.clusterId())
                .setControllerId(broker.nodeId());
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(broker.nodeId()).setHost(advertised.host()).setPort(advertised.port()));

        boolean includeOperations = version >= 8 && request.includeTopicAuthorizedOperations();
        boolean allTopics = request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (allTopics) {
            for (TopicImage topic : broker.controller().image().topics()) {
                response.topics().add(topicMetadata(topic, includeOperations));
            }
        } else {
            boolean allowAutoCreate = (version < 4 || request.allowAutoTopicCreation())
                    && broker.config().get(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE);
            for (MetadataRequestData.MetadataRequestTopic requested : request.topics()) {
                response.topics().add(requestedTopic(requested, version, allowAutoCreate, includeOperations));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private MetadataResponseData.MetadataResponseTopic requestedTopic(MetadataRequestData.MetadataRequestTopic requested, short version,
                                                                      boolean allowAutoCreate, boolean includeOperations) {
        MetadataImage image = broker.controller().image();
        // As Kafka: a non-zero topic id wins over the name (clients asking by id send a null or empty name).
        if (requested.name() == null || (version >= 10 && !requested.topicId().equals(Uuid.ZERO))) {
            Uuid topicId = requested.topicId();
            Optional<TopicImage> byId = image.topic(topicId);
            return byId.map(topic -> topicMetadata(topic, includeOperations))
                    .orElseGet(() -> errorTopic(null, topicId, Errors.UNKNOWN_TOPIC_ID));
        }
        String name = requested.name();
        Optional<TopicImage> topic = image.topic(name);
        if (topic.isPresent()) {
            return topicMetadata(topic.get(), includeOperations);
        }
        try {
            ClusterController.checkTopicName(name);
        } catch (ApiException e) {
            return errorTopic(name, Uuid.ZERO, Errors.INVALID_TOPIC_EXCEPTION);
        }
        if (!allowAutoCreate) {
            return errorTopic(name, Uuid.ZERO, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        try {
            TopicImage created = broker.controller().createTopic(new ClusterController.CreateTopicRequest(name, -1,
                    (short) -1, Map.of(), Map.of()), broker.config().get(BrokerConfig.NUM_PARTITIONS),
                    broker.config().get(BrokerConfig.DEFAULT_REPLICATION_FACTOR).shortValue(), false);
            return topicMetadata(created, includeOperations);
        } catch (ApiException e) {
            // A concurrent creation of the same topic won; answer with what is there now.
            return broker.controller().image().topic(name).map(existing -> topicMetadata(existing, includeOperations))
                    .orElseGet(() -> errorTopic(name, Uuid.ZERO, e.error()));
        }
    }

    private static MetadataResponseData.MetadataResponseTopic errorTopic(String name, Uuid topicId, Errors error) {
        return new MetadataResponseData.MetadataResponseTopic().setName(name).setTopicId(topicId).setErrorCode(error.code());
    }

    private MetadataResponseData.MetadataResponseTopic topicMetadata(TopicImage topic, boolean includeOperations) {
        List<MetadataResponseData.MetadataResponsePartition> partitions = new ArrayList<>(topic.partitionCount());
        for (PartitionImage partition : topic.partitions().values()) {
            partitions.add(new MetadataResponseData.MetadataResponsePartition()
                    .setPartitionIndex(partition.partitionId())
                    .setLeaderId(partition.leader())
                    .setLeaderEpoch(partition.leaderEpoch())
                    .setReplicaNodes(new ArrayList<>(partition.replicas()))
                    .setIsrNodes(new ArrayList<>(partition.isr()))
                    .setOfflineReplicas(new ArrayList<>()));
        }
        return new MetadataResponseData.MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.topicId())
                .setIsInternal(INTERNAL_TOPICS.contains(topic.name()))
                .setPartitions(partitions)
                .setTopicAuthorizedOperations(includeOperations ? ALL_TOPIC_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED);
    }
}
