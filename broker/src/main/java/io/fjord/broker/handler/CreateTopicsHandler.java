package io.fjord.broker.handler;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.ClusterController;
import io.fjord.metadata.TopicImage;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.CreateTopicsRequestData;
import io.fjord.protocol.message.CreateTopicsResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTopics (key 19), versions 2-7. Each topic is created (or only validated) by the controller;
 * per-topic errors use Kafka's codes and messages. From v5 the result carries the partition count,
 * replication factor and the topic's effective configs; from v7 the topic id. A topic named twice
 * in one request gets INVALID_REQUEST for every occurrence, as in Kafka.
 */
public final class CreateTopicsHandler implements ApiHandler {

    private final BrokerContext broker;

    public CreateTopicsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.CREATE_TOPICS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 2;
    }

    @Override
    public short maxVersion() {
        return 7;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        CreateTopicsRequestData request = (CreateTopicsRequestData) message;
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(topic.name()).setNumPartitions(-1).setReplicationFactor((short) -1);
            if (duplicates.contains(topic.name())) {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Create topics request from client `" + context.clientId()
                                + "` contains multiple entries for the following topics: " + topic.name());
            } else {
                createTopic(topic, request.validateOnly(), result);
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private void createTopic(CreateTopicsRequestData.CreatableTopic topic, boolean validateOnly,
                             CreateTopicsResponseData.CreatableTopicResult result) {
        try {
            Map<String, String> configs = new LinkedHashMap<>();
            for (CreateTopicsRequestData.CreatableTopicConfig config : topic.configs()) {
                if (config.value() == null) {
                    throw new ApiException(Errors.INVALID_CONFIG, "Null value not supported for topic configs: " + config.name());
                }
                configs.put(config.name(), config.value());
            }
            Map<Integer, List<Integer>> assignments = new HashMap<>();
            for (CreateTopicsRequestData.CreatableReplicaAssignment assignment : topic.assignments()) {
                assignments.put(assignment.partitionIndex(), assignment.brokerIds());
            }
            TopicImage created = broker.controller().createTopic(new ClusterController.CreateTopicRequest(topic.name(),
                            topic.numPartitions(), topic.replicationFactor(), assignments, configs),
                    broker.config().get(BrokerConfig.NUM_PARTITIONS),
                    broker.config().get(BrokerConfig.DEFAULT_REPLICATION_FACTOR).shortValue(), validateOnly);
            result.setTopicId(validateOnly ? io.fjord.common.Uuid.ZERO : created.topicId())
                    .setNumPartitions(created.partitionCount())
                    .setReplicationFactor((short) created.partitions().get(0).replicas().size())
                    .setConfigs(effectiveConfigs(created.configs()));
        } catch (ApiException e) {
            result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
    }

    private List<CreateTopicsResponseData.CreatableTopicConfigs> effectiveConfigs(Map<String, String> overrides) {
        List<CreateTopicsResponseData.CreatableTopicConfigs> configs = new ArrayList<>();
        for (DescribeConfigsHandler.DescribedConfig config : DescribeConfigsHandler.describeTopic(broker, overrides)) {
            configs.add(new CreateTopicsResponseData.CreatableTopicConfigs().setName(config.name())
                    .setValue(config.value()).setReadOnly(false).setConfigSource(config.source())
                    .setIsSensitive(false));
        }
        return configs;
    }
}
