package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.coordinator.group.TopicMetadataView;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupHeartbeat (key 68), versions 0-1: the KIP-848 consumer group protocol
 * ({@code group.protocol=consumer}). Joins, subscription changes, reconciliation and leaves all go
 * through this one API; the group's coordinator computes assignments by topic id with a server-side
 * assignor (uniform or range). v1 (KIP-1082): the client generates its member id and may subscribe
 * with a regex, which the coordinator resolves against the broker's topics.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler {

    private final OffsetsTopicManager groups;
    private final TopicMetadataView topics;

    public ConsumerGroupHeartbeatHandler(OffsetsTopicManager groups, TopicMetadataView topics) {
        this.groups = groups;
        this.topics = topics;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.CONSUMER_GROUP_HEARTBEAT;
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
        ConsumerGroupHeartbeatRequestData request = (ConsumerGroupHeartbeatRequestData) message;
        return groups.coordinator().consumerGroupHeartbeat(JoinGroupHandler.groupContext(context), request, topics)
                .thenApply(response -> response);
    }
}
