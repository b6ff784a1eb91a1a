package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.message.DescribeGroupsRequestData;
import io.fjord.protocol.message.DescribeGroupsResponseData;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups (key 15), versions 0-5: state, protocol and members (with metadata and assignment
 * when stable) of classic groups; an unknown group is "Dead" without an error, as before v6.
 * Version 6 (GROUP_ID_NOT_FOUND for unknown groups, KIP-848) is not advertised yet.
 */
public final class DescribeGroupsHandler implements ApiHandler {

    private final OffsetsTopicManager groups;

    public DescribeGroupsHandler(OffsetsTopicManager groups) {
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.DESCRIBE_GROUPS;
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
        DescribeGroupsRequestData request = (DescribeGroupsRequestData) message;
        boolean includeOperations = context.apiVersion() >= 3 && request.includeAuthorizedOperations();
        return groups.coordinator().describeGroups(request.groups(), includeOperations)
                .thenApply(described -> new DescribeGroupsResponseData().setGroups(new java.util.ArrayList<>(described)));
    }
}
