package io.fjord.perf.client;

import io.fjord.protocol.message.ApiMessageType;

/**
 * A request written to a connection and not yet answered (or, for a request without a response,
 * not yet fully written to the socket). {@code attachment} is the sender's own context, handed back
 * with the response; {@code endMark} is the connection's byte count at the end of the frame.
 */
public record InFlightRequest(int correlationId, ApiMessageType api, short version, long sentNs,
                              ResponseListener listener, Object attachment, long endMark) {
}
