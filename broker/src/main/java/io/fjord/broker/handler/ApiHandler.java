package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;

import java.util.concurrent.CompletableFuture;

/**
 * Serves one API key. Declares the versions it advertises and the versions it accepts (usually the
 * same; Produce advertises 0 for old librdkafka probes but accepts only 3+), and turns a decoded
 * request into a response. Wire errors are values: a handler fills error codes into its response
 * and never throws for bad input; an exception escaping a handler closes the connection.
 *
 * <p>Called on the connection's event-loop thread. A handler that must wait (Fetch long-poll)
 * returns an incomplete future; {@code null} as the future's value means "send no response"
 * (Produce with acks=0).
 */
public interface ApiHandler {

    ApiMessageType apiType();

    /** Lowest version listed in ApiVersions. */
    short minAdvertisedVersion();

    /** Highest version listed in ApiVersions and accepted. */
    short maxVersion();

    /** Lowest version actually accepted; a request below it closes the connection as Kafka does. */
    default short minAcceptedVersion() {
        return minAdvertisedVersion();
    }

    CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request);
}
