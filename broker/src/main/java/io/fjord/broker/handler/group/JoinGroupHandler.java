package io.fjord.broker.handler.group;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.coordinator.group.GroupRequestContext;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.JoinGroupRequestData;
import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.types.ApiMessage;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * JoinGroup (key 11), versions 0-9: the answer is parked in the coordinator until the group's join
 * phase completes. v4+ new dynamic members first get MEMBER_ID_REQUIRED with their id (KIP-394);
 * v5+ static members (KIP-345); v9 skipAssignment for a replaced static leader (KIP-814).
 */
public final class JoinGroupHandler implements ApiHandler {

    private final OffsetsTopicManager groups;

    public JoinGroupHandler(OffsetsTopicManager groups) {
        this.groups = groups;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.JOIN_GROUP;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        JoinGroupRequestData request = (JoinGroupRequestData) message;
        short version = context.apiVersion();
        return groups.coordinator().joinGroup(groupContext(context), request).thenApply(response -> fitToVersion(response, version));
    }

    /** Before v7 the protocol name is not nullable: Kafka sends "" instead of null. */
    private static ApiMessage fitToVersion(JoinGroupResponseData response, short version) {
        if (version < 7 && response.protocolName() == null) {
            response.setProtocolName("");
        }
        return response;
    }

    /** The client id and address as Kafka shows them in DescribeGroups ({@code /127.0.0.1}). */
    static GroupRequestContext groupContext(RequestContext context) {
        return new GroupRequestContext(context.clientId(), clientHost(context.clientAddress()), context.apiVersion());
    }

    static String clientHost(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().toString();
        }
        return address == null ? "" : address.toString();
    }
}
