package io.fjord.broker.handler;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.config.ConfigKey;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.TopicImage;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.DescribeConfigsRequestData;
import io.fjord.protocol.message.DescribeConfigsResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.storage.ConfigDef;
import io.fjord.storage.LogConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs (key 32), versions 1-4, for topics (every topic config with its effective value
 * and where it comes from) and for this broker (its static configuration, read-only).
 */
public final class DescribeConfigsHandler implements ApiHandler {

    static final byte RESOURCE_TOPIC = 2;
    static final byte RESOURCE_BROKER = 4;
    static final byte SOURCE_DYNAMIC_TOPIC = 1;
    static final byte SOURCE_STATIC_BROKER = 4;
    static final byte SOURCE_DEFAULT = 5;

    /** One described config entry. */
    record DescribedConfig(String name, String value, byte source, byte type, String documentation, boolean readOnly) {
    }

    private final BrokerContext broker;

    public DescribeConfigsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.DESCRIBE_CONFIGS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DescribeConfigsRequestData request = (DescribeConfigsRequestData) message;
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            try {
                List<DescribedConfig> configs = describe(resource);
                Set<String> keys = resource.configurationKeys() == null ? null : new HashSet<>(resource.configurationKeys());
                for (DescribedConfig config : configs) {
                    if (keys != null && !keys.contains(config.name())) {
                        continue;
                    }
                    result.configs().add(new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                            .setName(config.name()).setValue(config.value()).setReadOnly(config.readOnly())
                            .setConfigSource(config.source()).setIsSensitive(false).setConfigType(config.type())
                            .setDocumentation(request.includeDocumentation() ? config.documentation() : null));
                }
            } catch (ApiException e) {
                result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private List<DescribedConfig> describe(DescribeConfigsRequestData.DescribeConfigsResource resource) {
        switch (resource.resourceType()) {
            case RESOURCE_TOPIC -> {
                TopicImage topic = broker.controller().image().topic(resource.resourceName()).orElseThrow(() ->
                        new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + resource.resourceName() + " does not exist."));
                return describeTopic(broker, topic.configs());
            }
            case RESOURCE_BROKER -> {
                if (!resource.resourceName().isEmpty() && !resource.resourceName().equals(String.valueOf(broker.nodeId()))) {
                    throw new ApiException(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + broker.nodeId()
                            + " or empty string, but received " + resource.resourceName());
                }
                return describeBroker(broker.config());
            }
            default -> throw new ApiException(Errors.INVALID_REQUEST, "Unsupported resource type " + resource.resourceType());
        }
    }

    /** Every topic config with its effective value: the topic override, else the broker's log.* setting, else Kafka's default. */
    static List<DescribedConfig> describeTopic(BrokerContext broker, Map<String, String> overrides) {
        LogConfig effective = broker.replicaManager().logConfig(overrides);
        Map<String, String> values = effective.asStrings();
        List<DescribedConfig> configs = new ArrayList<>();
        for (ConfigDef def : LogConfig.topicConfigDefs()) {
            String name = def.name();
            byte source = overrides.containsKey(name) ? SOURCE_DYNAMIC_TOPIC
                    : brokerSynonymExplicit(broker.config(), name) ? SOURCE_STATIC_BROKER : SOURCE_DEFAULT;
            String value = overrides.containsKey(name) ? overrides.get(name) : values.getOrDefault(name, def.defaultValue());
            configs.add(new DescribedConfig(name, value, source, configType(def.type().name()), def.doc(), false));
        }
        return configs;
    }

    private static boolean brokerSynonymExplicit(BrokerConfig config, String topicKey) {
        return switch (topicKey) {
            case "segment.bytes" -> config.isExplicit("log.segment.bytes");
            case "segment.ms" -> config.isExplicit("log.roll.ms") || config.isExplicit("log.roll.hours");
            case "retention.ms" -> config.isExplicit("log.retention.ms") || config.isExplicit("log.retention.minutes")
                    || config.isExplicit("log.retention.hours");
            case "retention.bytes" -> config.isExplicit("log.retention.bytes");
            case "max.message.bytes" -> config.isExplicit("message.max.bytes");
            case "cleanup.policy" -> config.isExplicit("log.cleanup.policy");
            case "message.timestamp.type" -> config.isExplicit("log.message.timestamp.type");
            case "min.insync.replicas", "compression.type" -> config.isExplicit(topicKey);
            default -> false;
        };
    }

    private static List<DescribedConfig> describeBroker(BrokerConfig config) {
        List<DescribedConfig> configs = new ArrayList<>();
        for (Map.Entry<String, String> entry : config.describe().entrySet()) {
            ConfigKey<?> key = BrokerConfig.keys().get(entry.getKey());
            byte source = config.isExplicit(entry.getKey()) ? SOURCE_STATIC_BROKER : SOURCE_DEFAULT;
            configs.add(new DescribedConfig(entry.getKey(), entry.getValue(), source, (byte) 0, key.doc(), true));
        }
        return configs;
    }

    /** Kafka's DescribeConfigs ConfigType codes. */
    private static byte configType(String type) {
        return switch (type.toLowerCase(java.util.Locale.ROOT)) {
            case "boolean" -> 1;
            case "string" -> 2;
            case "int" -> 3;
            case "short" -> 4;
            case "long" -> 5;
            case "double" -> 6;
            case "list" -> 7;
            case "class" -> 8;
            case "password" -> 9;
            default -> 0;
        };
    }
}
