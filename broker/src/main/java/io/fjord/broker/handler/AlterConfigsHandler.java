package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.AlterConfigsRequestData;
import io.fjord.protocol.message.AlterConfigsResponseData;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * AlterConfigs (key 33), versions 0-2, the legacy whole-set form still used by Java 3.x, librdkafka
 * and kafkajs: the configs named become the topic's complete override set. Broker configs are
 * static in Fjord so far and answer INVALID_CONFIG.
 */
public final class AlterConfigsHandler implements ApiHandler {

    private final BrokerContext broker;

    public AlterConfigsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.ALTER_CONFIGS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        AlterConfigsRequestData request = (AlterConfigsRequestData) message;
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse result = new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            try {
                IncrementalAlterConfigsHandler.checkTopicResource(resource.resourceType());
                Map<String, Optional<String>> changes = new LinkedHashMap<>();
                for (AlterConfigsRequestData.AlterableConfig config : resource.configs()) {
                    if (config.value() == null) {
                        throw new ApiException(Errors.INVALID_REQUEST, "Null value not supported for : " + config.name());
                    }
                    changes.put(config.name(), Optional.of(config.value()));
                }
                broker.controller().alterTopicConfigs(resource.resourceName(), changes, true, request.validateOnly());
            } catch (ApiException e) {
                result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }
}
