package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ListGroupsRequestData;
import io.fjord.protocol.message.ListGroupsResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;

/**
 * ListGroups (key 16), versions 0-5: every group this coordinator holds, filtered by state (v4+)
 * and type (v5+, Fjord has only "classic" groups so far); filters are case-insensitive.
 */
public final class ListGroupsHandler implements ApiHandler {

    private final OffsetsTopicManager groups;

    public ListGroupsHandler(OffsetsTopicManager groups) {
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.LIST_GROUPS;
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
        ListGroupsRequestData request = (ListGroupsRequestData) message;
        short version = context.apiVersion();
        return groups.coordinator().listGroups(version >= 4 ? new HashSet<>(request.statesFilter()) : new HashSet<>(),
                        version >= 5 ? new HashSet<>(request.typesFilter()) : new HashSet<>())
                .thenApply(result -> new ListGroupsResponseData().setErrorCode(result.error().code()).setGroups(new ArrayList<>(result.groups())));
    }
}
