package io.fjord.broker.handler.group;

import io.fjord.common.errors.Errors;
import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.message.DescribeGroupsRequestData;
import io.fjord.protocol.message.DescribeGroupsResponseData;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups (key 15), versions 0-6: state, protocol and members (with metadata and assignment
 * when stable) of classic groups. An unknown group, or one that is not a classic group (a KIP-848
 * consumer group), is "Dead" without an error before v6 and GROUP_ID_NOT_FOUND with a message from
 * v6 (KIP-1043), which is what makes the Admin client's describe fall back correctly.
 */
public final class DescribeGroupsHandler implements ApiHandler {

    private static final String DEAD = "Dead";

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
        return 6;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        DescribeGroupsRequestData request = (DescribeGroupsRequestData) message;
        boolean includeOperations = context.apiVersion() >= 3 && request.includeAuthorizedOperations();
        boolean reportNotFound = context.apiVersion() >= 6;
        return groups.coordinator().describeGroups(request.groups(), includeOperations)
                .thenApply(described -> {
                    java.util.List<DescribeGroupsResponseData.DescribedGroup> result = new java.util.ArrayList<>(described);
                    if (reportNotFound) {
                        for (DescribeGroupsResponseData.DescribedGroup group : result) {
                            if (group.errorCode() == Errors.NONE.code() && DEAD.equals(group.groupState())) {
                                group.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                                        .setErrorMessage("Group " + group.groupId() + " not found.");
                            }
                        }
                    }
                    return new DescribeGroupsResponseData().setGroups(result);
                });
    }
}
