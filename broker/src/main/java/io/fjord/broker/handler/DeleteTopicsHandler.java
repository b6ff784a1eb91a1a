package io.fjord.broker.handler;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.Uuid;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.TopicImage;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.DeleteTopicsRequestData;
import io.fjord.protocol.message.DeleteTopicsResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteTopics (key 20), versions 1-6 (v6 names topics by name or by id). The topic disappears
 * from the metadata image at once; its partition folders are renamed and removed after
 * {@code file.delete.delay.ms}, so fetches already on the wire still complete.
 */
public final class DeleteTopicsHandler implements ApiHandler {

    private final BrokerContext broker;

    public DeleteTopicsHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.DELETE_TOPICS;
    }

    @Override
    public short minAdvertisedVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 6;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DeleteTopicsRequestData request = (DeleteTopicsRequestData) message;
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        if (context.apiVersion() < 6) {
            for (String name : request.topicNames()) {
                response.responses().add(delete(name, Uuid.ZERO));
            }
        } else {
            for (DeleteTopicsRequestData.DeleteTopicState topic : request.topics()) {
                response.responses().add(delete(topic.name(), topic.topicId()));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private DeleteTopicsResponseData.DeletableTopicResult delete(String name, Uuid topicId) {
        DeleteTopicsResponseData.DeletableTopicResult result = new DeleteTopicsResponseData.DeletableTopicResult()
                .setName(name).setTopicId(topicId);
        try {
            if (!broker.config().get(BrokerConfig.DELETE_TOPIC_ENABLE)) {
                throw new ApiException(Errors.TOPIC_DELETION_DISABLED, "Topic deletion is disabled.");
            }
            Optional<TopicImage> topic = name != null ? broker.controller().image().topic(name)
                    : broker.controller().image().topic(topicId);
            if (topic.isEmpty()) {
                throw name != null
                        ? new ApiException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.")
                        : new ApiException(Errors.UNKNOWN_TOPIC_ID, "This server does not host this topic ID.");
            }
            result.setName(topic.get().name()).setTopicId(topic.get().topicId());
            broker.controller().deleteTopic(topic.get().topicId());
        } catch (ApiException e) {
            result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
        return result;
    }
}
