package io.fjord.broker.network;

import io.fjord.broker.config.Endpoint;
import io.fjord.protocol.message.ApiMessageType;

import java.net.SocketAddress;

/** What a handler knows about the request besides its body: header fields, listener and peer. */
public record RequestContext(ApiMessageType apiType, short apiVersion, int correlationId, String clientId,
                             Endpoint listener, SocketAddress clientAddress, long receivedNs) {
}
