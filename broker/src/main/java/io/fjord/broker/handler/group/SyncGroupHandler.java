package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.message.SyncGroupRequestData;

import java.util.concurrent.CompletableFuture;

/**
 * SyncGroup (key 14), versions 0-5: the leader hands in the assignment, every member gets its own
 * share (opaque bytes). v5 checks the protocol type and name against the group's.
 */
public final class SyncGroupHandler implements ApiHandler {

    private final OffsetsTopicManager groups;

    public SyncGroupHandler(OffsetsTopicManager groups) {
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.SYNC_GROUP;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        return groups.coordinator().syncGroup((SyncGroupRequestData) message).thenApply(response -> response);
    }
}
