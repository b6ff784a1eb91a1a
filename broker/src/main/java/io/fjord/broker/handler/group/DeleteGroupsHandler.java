package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.message.DeleteGroupsRequestData;
import io.fjord.protocol.message.DeleteGroupsResponseData;

import java.util.concurrent.CompletableFuture;

/**
 * DeleteGroups (key 42), versions 0-2: deletes empty groups with their offsets (NON_EMPTY_GROUP,
 * GROUP_ID_NOT_FOUND otherwise).
 */
public final class DeleteGroupsHandler implements ApiHandler {

    private final OffsetsTopicManager groups;

    public DeleteGroupsHandler(OffsetsTopicManager groups) {
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.DELETE_GROUPS;
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
        DeleteGroupsRequestData request = (DeleteGroupsRequestData) message;
        return groups.coordinator().deleteGroups(request.groupsNames())
                .thenApply(results -> new DeleteGroupsResponseData().setResults(new java.util.ArrayList<>(results)));
    }
}
