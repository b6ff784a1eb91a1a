package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.message.OffsetDeleteRequestData;

import java.util.concurrent.CompletableFuture;

/**
 * OffsetDelete (key 47), version 0: deletes committed offsets of an empty group, or of topics a
 * consumer group no longer subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise).
 */
public final class OffsetDeleteHandler implements ApiHandler {

    private final OffsetsTopicManager groups;

    public OffsetDeleteHandler(OffsetsTopicManager groups) {
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.OFFSET_DELETE;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        return groups.coordinator().deleteOffsets((OffsetDeleteRequestData) message).thenApply(response -> response);
    }
}
