package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.TopicImage;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.IncrementalAlterConfigsRequestData;
import io.fjord.protocol.message.IncrementalAlterConfigsResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * IncrementalAlterConfigs (key 44), versions 0-1: SET, DELETE, APPEND and SUBTRACT on topic
 * configs (APPEND/SUBTRACT only make sense for list configs such as cleanup.policy). Changes are
 * validated as a whole and take effect on the partitions at once.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler {

    private static final byte SET = 0;
    private static final byte DELETE = 1;
    private static final byte APPEND = 2;
    private static final byte SUBTRACT = 3;

    private final BrokerContext broker;

    public IncrementalAlterConfigsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        IncrementalAlterConfigsRequestData request = (IncrementalAlterConfigsRequestData) message;
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            try {
                checkTopicResource(resource.resourceType());
                TopicImage topic = broker.controller().image().topic(resource.resourceName()).orElseThrow(() ->
                        new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + resource.resourceName() + " does not exist."));
                broker.controller().alterTopicConfigs(topic.name(), changes(topic, resource), false, request.validateOnly());
            } catch (ApiException e) {
                result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private Map<String, Optional<String>> changes(TopicImage topic, IncrementalAlterConfigsRequestData.AlterConfigsResource resource) {
        Map<String, Optional<String>> changes = new LinkedHashMap<>();
        for (IncrementalAlterConfigsRequestData.AlterableConfig config : resource.configs()) {
            String name = config.name();
            if (changes.containsKey(name)) {
                throw new ApiException(Errors.INVALID_REQUEST, "Error due to duplicate config keys : " + name);
            }
            switch (config.configOperation()) {
                case SET -> changes.put(name, Optional.ofNullable(requireValue(config)));
                case DELETE -> changes.put(name, Optional.empty());
                case APPEND, SUBTRACT -> changes.put(name, Optional.of(listChange(topic, config)));
                default -> throw new ApiException(Errors.INVALID_REQUEST, "Unknown config operation " + config.configOperation());
            }
        }
        return changes;
    }

    private String listChange(TopicImage topic, IncrementalAlterConfigsRequestData.AlterableConfig config) {
        if (!config.name().equals("cleanup.policy")) {
            throw new ApiException(Errors.INVALID_CONFIG, "Config value append/subtract is not allowed for config key " + config.name());
        }
        String current = topic.configs().getOrDefault(config.name(),
                broker.replicaManager().topicConfigDefaults().getOrDefault(config.name(), ""));
        List<String> values = new ArrayList<>(Arrays.stream(current.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        for (String item : requireValue(config).split(",")) {
            String trimmed = item.trim();
            if (config.configOperation() == APPEND && !values.contains(trimmed)) {
                values.add(trimmed);
            } else if (config.configOperation() == SUBTRACT) {
                values.remove(trimmed);
            }
        }
        return String.join(",", values);
    }

    private static String requireValue(IncrementalAlterConfigsRequestData.AlterableConfig config) {
        if (config.value() == null) {
            throw new ApiException(Errors.INVALID_REQUEST, "Null value not supported for : " + config.name());
        }
        return config.value();
    }

    static void checkTopicResource(byte resourceType) {
        if (resourceType == DescribeConfigsHandler.RESOURCE_BROKER) {
            throw new ApiException(Errors.INVALID_CONFIG, "Broker configs are static in Fjord so far: set them in server.properties and restart.");
        }
        if (resourceType != DescribeConfigsHandler.RESOURCE_TOPIC) {
            throw new ApiException(Errors.INVALID_REQUEST, "Unsupported resource type " + resourceType);
        }
    }
}
