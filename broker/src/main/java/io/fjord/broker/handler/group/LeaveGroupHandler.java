package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.LeaveGroupRequestData;
import io.fjord.protocol.message.LeaveGroupResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * LeaveGroup (key 13), versions 0-5. v0-2 name one member; v3+ a batch of member identities (by
 * member id, or by group instance id alone for an administrator removing static members, KIP-345).
 * The coordinator works on the batched shape; for v0-2 the member's error becomes the top-level one.
 */
public final class LeaveGroupHandler implements ApiHandler {

    private final OffsetsTopicManager groups;

    public LeaveGroupHandler(OffsetsTopicManager groups) {
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.LEAVE_GROUP;
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
        LeaveGroupRequestData request = (LeaveGroupRequestData) message;
        if (context.apiVersion() >= 3) {
            return groups.coordinator().leaveGroup(request).thenApply(response -> response);
        }
        LeaveGroupRequestData batched = new LeaveGroupRequestData().setGroupId(request.groupId());
        batched.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId()));
        return groups.coordinator().leaveGroup(batched).thenApply(LeaveGroupHandler::singleMemberResponse);
    }

    private static ApiMessage singleMemberResponse(LeaveGroupResponseData batched) {
        short error = batched.errorCode();
        if (error == Errors.NONE.code() && !batched.members().isEmpty()) {
            error = batched.members().get(0).errorCode();
        }
        return new LeaveGroupResponseData().setErrorCode(error);
    }
}
