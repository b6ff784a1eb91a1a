package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.coordinator.group.TopicMetadataView;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ConsumerGroupDescribeRequestData;
import io.fjord.protocol.message.ConsumerGroupDescribeResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupDescribe (key 69), versions 0-1: members, epochs, current and target assignments of
 * KIP-848 groups (Admin {@code describeConsumerGroups}). A classic or unknown group answers
 * GROUP_ID_NOT_FOUND, on which the Admin client falls back to DescribeGroups. v1 adds MemberType.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler {

    private final OffsetsTopicManager groups;
    private final TopicMetadataView topics;

    public ConsumerGroupDescribeHandler(OffsetsTopicManager groups, TopicMetadataView topics) {
        this.groups = groups;
        this.topics = topics;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.CONSUMER_GROUP_DESCRIBE;
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
        ConsumerGroupDescribeRequestData request = (ConsumerGroupDescribeRequestData) message;
        return groups.coordinator().describeConsumerGroups(request.groupIds(), request.includeAuthorizedOperations(), topics)
                .thenApply(described -> new ConsumerGroupDescribeResponseData().setGroups(new java.util.ArrayList<>(described)));
    }
}
