package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.message.HeartbeatRequestData;

import java.util.concurrent.CompletableFuture;

/**
 * Heartbeat (key 12), versions 0-4: keeps a classic group member alive and tells it when to re-join
 * (REBALANCE_IN_PROGRESS). Answered by the group coordinator of the group's partition.
 */
public final class HeartbeatHandler implements ApiHandler {

    private final OffsetsTopicManager groups;

    public HeartbeatHandler(OffsetsTopicManager groups) {
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.HEARTBEAT;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        return groups.coordinator().heartbeat((HeartbeatRequestData) message).thenApply(response -> response);
    }
}
